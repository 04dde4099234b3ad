# frozen_string_literal: true

require_relative "helper"
require "open3"
require "rbconfig"
require "timeout"

# Calls that wait on storage run without the GVL and stop when interrupted: by db.interrupt
# from another thread, or by Ruby (Thread#raise, Thread#kill, Timeout, Ctrl-C).
class TestInterrupt < Minitest::Test
  include BucketDBTestHelper

  # Every GET and LIST of the slow store takes DELAY; an interrupted call ends well before.
  DELAY = 1.0
  # When the other thread interrupts, and the most an interrupted call may take in all.
  AFTER = 0.2
  BOUND = DELAY / 2

  # A memory store holding users u0, u1 and u2, merged (an open reads little), behind the
  # faulty: layer that delays every GET and LIST; one database on it for the class's tests (an
  # open takes seconds).
  def self.slow_db
    @slow_db ||= begin
      plain = "memory:rb-interrupt"
      BucketDB.open(plain, auto_merge: false, log_level: "silent") do |db|
        db.register_schema(USERS)
        db.batch { |b| 3.times { |i| b.insert("users", "id" => "u#{i}", "age" => i) } }
        db.merge
      end
      uri = "faulty:#{plain}?faulty.every=1&faulty.ops=get,list&faulty.action=delay&" \
            "faulty.delay_ms=#{(DELAY * 1000).to_i}"
      BucketDB.open(uri, auto_merge: false, read_staleness_ms: 0, log_level: "silent")
    end
  end

  # Runs the class's tests, then closes and lets go of their database (the ownership test
  # counts the handles alive).
  def self.run(...)
    super
  ensure
    @slow_db&.close
    @slow_db = nil
  end

  def slow_db = self.class.slow_db

  def elapsed
    start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    yield
  ensure
    @took = Process.clock_gettime(Process::CLOCK_MONOTONIC) - start
  end

  def assert_prompt
    assert_operator @took, :<, BOUND, "took #{@took} s; the storage request takes #{DELAY} s"
  end

  # Runs the block while another thread calls db.interrupt after AFTER.
  def interrupting(db)
    t = Thread.new do
      sleep AFTER
      db.interrupt
    end
    yield
  ensure
    t.join
  end

  def test_interrupt_stops_a_call_of_another_thread
    db = slow_db
    e = interrupting(db) do
      elapsed { assert_bdb_error(BucketDB::Interrupted, "bdb_get", "interrupted") { db.get("users", "u0") } }
    end
    assert_prompt
    assert_equal 16, e.code
    # Calls made afterwards run normally.
    assert_equal({ "id" => "u0", "age" => 0 }, db.get("users", "u0"))
  end

  def test_interrupt_stops_queries
    db = slow_db
    interrupting(db) do
      elapsed { assert_bdb_error(BucketDB::Interrupted, "interrupted") { db.query("users").to_a } }
    end
    assert_prompt
    interrupting(db) do
      elapsed { assert_bdb_error(BucketDB::Interrupted, "interrupted") { db.query("users").count } }
    end
    assert_prompt
    assert_equal %w[u0 u1 u2], db.query("users").where("id", "prefix", "u").map { |u| u["id"] }
  end

  # A collection in another thread, which holds the writer's turn for seconds (each LIST
  # waits DELAY); its value is its exception once interrupted.
  def collecting(db)
    gc = Thread.new do
      db.gc
    rescue BucketDB::Error => e
      e
    end
    sleep AFTER
    gc
  end

  # The interrupt ends the collection and the commit's wait for the writer's turn: the commit
  # raises Interrupted and did not land, or (when it took the turn the collection let go) it
  # landed. Either way, committing again commits it once.
  def test_interrupted_commit_commits_once_when_committed_again
    db = slow_db
    gc = collecting(db)
    b = db.batch.insert("users", "id" => "n1", "age" => 7)
    interrupting(db) do
      b.commit
    rescue BucketDB::Interrupted => e
      assert_includes e.message, "bdb_batch_commit"
      assert_equal 1, b.size # it did not land: the batch is intact
      b.commit
    end
    assert_kind_of BucketDB::Interrupted, gc.value
    b.close
    assert_equal [7], db.query("users").where("id", "=", "n1").map { |u| u["age"] }
  end

  def test_other_threads_run_while_a_call_waits
    db = slow_db
    ticks = []
    ticker = Thread.new do
      loop do
        ticks << Process.clock_gettime(Process::CLOCK_MONOTONIC)
        sleep 0.01
      end
    end
    sleep 0.05
    elapsed { db.get("users", "u0") }
    ticker.kill.join
    assert_operator @took, :>=, DELAY * 0.9 # the call did wait
    gap = ticks.each_cons(2).map { |a, b| b - a }.max
    assert_operator gap, :<, DELAY / 2, "another thread stood still for #{gap} s: the GVL was held"
  end

  def test_timeout_stops_a_slow_call
    db = slow_db
    elapsed do
      assert_raises(Timeout::Error) { Timeout.timeout(AFTER) { db.gc } }
    end
    assert_prompt
    assert_equal 0, db.get("users", "u0")["age"]
  end

  # Measured from the start: with the GVL held, this thread would not even wake before the
  # call's end.
  def test_thread_raise_and_kill_stop_a_slow_call
    db = slow_db
    t = nil
    elapsed do
      t = Thread.new { db.get("users", "u0") }
      t.report_on_exception = false
      sleep AFTER
      t.raise(ArgumentError, "stop")
      assert_raises(ArgumentError) { t.join }
    end
    assert_prompt

    elapsed do
      t = Thread.new { db.merge }
      sleep AFTER
      assert_same t, t.kill.join(DELAY * 3)
    end
    assert_prompt
    refute t.alive?
  end

  # A child interpreter on a slow store of its own that runs a collection (seconds) in its
  # main thread, and says whether Interrupt stopped it.
  CTRL_C_CHILD = <<~RUBY
    require "bucketdb"
    plain = "memory:ctrl-c"
    BucketDB.open(plain, auto_merge: false, log_level: "silent") do |db|
      db.register_schema(#{USERS.dump})
      db.insert("users", "id" => "u0")
      db.merge
    end
    uri = "faulty:\#{plain}?faulty.every=1&faulty.ops=get,list&faulty.action=delay&faulty.delay_ms=#{(DELAY * 1000).to_i}"
    db = BucketDB.open(uri, auto_merge: false, log_level: "silent")
    puts "ready"
    $stdout.flush
    begin
      db.gc
      puts "finished"
    rescue Interrupt
      puts "interrupted"
    end
    db.close
  RUBY

  def test_ctrl_c_stops_a_slow_call_of_the_main_thread
    IO.popen([RbConfig.ruby, *bucketdb_includes, "-e", CTRL_C_CHILD], err: %i[child out]) do |child|
      assert_equal "ready\n", child.gets
      sleep AFTER
      elapsed do
        Process.kill("INT", child.pid)
        assert_equal "interrupted\n", child.gets
      end
    end
    assert_predicate $?, :success?
    assert_prompt
  end

  # The thread the extension starts so that a lone main thread's calls need no thread of
  # Ruby's each (bx_rb_keep_company) does not hide a deadlock from Ruby.
  def test_a_deadlock_is_still_reported
    child = 'require "bucketdb"; BucketDB.open("memory:", log_level: "silent") { |db| db.stats }; Queue.new.pop'
    out, status = Open3.capture2e(RbConfig.ruby, *bucketdb_includes, "-e", child)
    refute_predicate status, :success?
    assert_includes out, "No live threads left. Deadlock?"
  end

  def test_closing_a_batch_while_it_commits_waits_for_the_commit
    db = slow_db
    gc = collecting(db)
    b = db.batch.insert("users", "id" => "n2", "age" => 2)
    committer = Thread.new do
      b.commit
    rescue BucketDB::Error => e
      e
    end
    sleep AFTER # the commit waits for the writer's turn, without the GVL
    closer = Thread.new { b.close }
    sleep AFTER
    assert closer.alive?, "close did not wait for the commit that uses the batch"
    db.interrupt
    outcome = committer.value
    assert(outcome.is_a?(Integer) || outcome.is_a?(BucketDB::Interrupted), outcome.inspect)
    assert_nil closer.value
    assert_kind_of BucketDB::Interrupted, gc.value
    assert_bdb_error(BucketDB::InvalidArgument, "the batch is closed") { b.size }
  end
end
