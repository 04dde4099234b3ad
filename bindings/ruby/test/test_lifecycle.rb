# frozen_string_literal: true

require_relative "helper"
require "fileutils"
require "logger"
require "stringio"

# Opening and closing: creating or not, read-only handles, a close that raises its failed
# merge, lossy schema versions and schema arrays, recovery of a lost Block 0, and the engine's
# log through a Logger (delivered by a Ruby thread).
class TestLifecycle < Minitest::Test
  include BucketDBTestHelper

  @@names = 0

  def test_create_if_missing_and_read_only
    Dir.mktmpdir do |dir|
      uri = "file:#{dir}"
      assert_bdb_error(BucketDB::NotFound, "no database") { BucketDB.open(uri, create_if_missing: false) }
      assert_bdb_error(BucketDB::NotFound, "no database") { BucketDB.open(uri, read_only: true) }
      BucketDB.open(uri, log_level: "silent") do |db| # created
        db.register_schema(USERS)
        db.insert("users", "id" => "u1", "age" => 7)
      end
      BucketDB.open(uri, read_only: true, log_level: "silent") do |ro|
        assert_equal({ "id" => "u1", "age" => 7 }, ro.get("users", "u1"))
        assert_bdb_error(BucketDB::InvalidArgument, "read-only") { ro.insert("users", "id" => "u2") }
        assert_bdb_error(BucketDB::InvalidArgument, "read-only") { ro.register_schema(USERS.sub('"users"', '"others"')) }
        assert_bdb_error(BucketDB::InvalidArgument, "read-only") { ro.merge }
        assert_bdb_error(BucketDB::InvalidArgument, "read-only") { ro.gc }
      end
    end
  end

  def test_max_requests_in_flight
    assert_bdb_error(BucketDB::InvalidArgument, "maxRequestsInFlight") { BucketDB.open("memory:", max_requests_in_flight: 2000) }
    BucketDB.open("memory:", max_requests_in_flight: 1, log_level: "silent") do |db|
      db.register_schema(USERS)
      db.insert("users", "id" => "a")
    end
  end

  # A memory store of its own with two rows, and that store with every put failing.
  def failing_merge
    plain = "memory:ruby-close-#{Process.pid}-#{@@names += 1}"
    BucketDB.open(plain, log_level: "silent") do |db|
      db.register_schema(USERS)
      db.insert("users", "id" => "a", "age" => 1)
      db.insert("users", "id" => "b", "age" => 2)
    end
    [plain, "faulty:#{plain}?faulty.ops=put&faulty.every=1&faulty.status=io"]
  end

  MERGE_DUE = { merge_threshold_entries: 1, write_forward_interval: 60_000 }.freeze

  def test_close_raises_a_failed_merge_and_loses_nothing
    plain, failing = failing_merge
    db = BucketDB.open(failing, log_level: "silent", **MERGE_DUE)
    assert_bdb_error(BucketDB::StorageError, "merge at close failed", "injected") { db.close }
    assert db.closed?
    assert_nil db.close # closing again is harmless
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { db.get("users", "a") }
    BucketDB.open(plain, log_level: "silent") { |again| assert_equal 2, again.get("users", "b")["age"] }
  end

  def test_the_engine_logs_to_a_logger
    out = StringIO.new
    no_conditions = "faulty:memory:?faulty.conditional=0"
    BucketDB.open(no_conditions, logger: Logger.new(out)) { |db| db } # lines delivered by close
    assert_match(/WARN -- bucketdb: engine: storage faulty:memory:.* has no conditional writes/, out.string)

    quiet = StringIO.new
    BucketDB.open(no_conditions, logger: Logger.new(quiet), log_level: "error") { |db| db }
    assert_empty quiet.string

    # A logger that raises does not take the library (or its thread) down.
    raising = Object.new
    def raising.add(*) = raise("boom")
    _, err = capture_io { BucketDB.open(no_conditions, logger: raising).close }
    assert_match(/the logger raised RuntimeError: boom/, err)
    assert_bdb_error(BucketDB::TypeMismatch, "logger") { BucketDB.open("memory:", logger: 42) }
  end

  # The database a program forgets is closed by the garbage collector, which cannot raise: the
  # failed merge is logged, and the delivery thread ends once nothing can log any more.
  def test_a_forgotten_database_logs_its_failed_merge
    _, failing = failing_merge
    out = StringIO.new
    threads = Thread.list.size
    forget = lambda do
      BucketDB.open(failing, logger: Logger.new(out), **MERGE_DUE)
      nil
    end
    forget.call
    deadline = Time.now + 20
    until out.string.include?("merge at close failed") && Thread.list.size <= threads
      flunk "nothing logged: #{out.string}" if Time.now > deadline
      GC.start(full_mark: true, immediate_sweep: true)
      sleep 0.02
    end
    assert_match(/ERROR -- bucketdb: merge: merge at close failed/, out.string)
  end

  def test_lossy_versions_and_schema_arrays
    db = open_memory
    db.insert("users", "id" => "u1", "name" => "Alice", "score" => 2.5)
    no_score = USERS.sub('"version":1', '"version":2').sub(',"score":{"typeId":7}', "")
    assert_bdb_error(BucketDB::SchemaError, "score") { db.register_schema(no_score) }
    db.register_schema(no_score, allow_lossy: true)
    assert_equal({ "id" => "u1", "name" => "Alice" }, db.get("users", "u1"))

    a = { name: "a", version: 1, fields: { k: { typeId: 10 } }, primaryKey: "k" }
    bad = a.merge(name: "b", fields: { k: { typeId: 99 } })
    assert_bdb_error(BucketDB::SchemaError) { db.register_schema([a, bad]) }
    assert_bdb_error(BucketDB::SchemaError, "a") { db.record("a") }
    db.register_schema([a, bad.merge(fields: { k: { typeId: 10 } })])
    db.insert("a", "k" => "x")
    db.insert("b", "k" => "y")
  ensure
    db&.close
  end

  def test_recover_a_lost_block0
    Dir.mktmpdir do |dir|
      uri = "file:#{dir}"
      BucketDB.open(uri, auto_merge: false, log_level: "silent") do |db|
        db.register_schema(USERS)
        db.insert("users", "id" => "u1", "age" => 30)
        db.merge
        db.insert("users", "id" => "u2", "age" => 40)
      end
      File.delete(File.join(dir, "main", "block0"))
      assert_bdb_error(BucketDB::Corrupt, "Block 0 missing") { BucketDB.open(uri, log_level: "silent") }
      report = BucketDB.recover(uri)
      assert_equal "missing", report["block0"]
      assert_equal false, report["written"]
      assert_operator report["log"]["entries"], :>=, 1
      report = BucketDB.recover(uri, write: true, schemas: JSON.parse(USERS))
      assert_equal true, report["written"], report.inspect
      BucketDB.open(uri, log_level: "silent") do |db|
        assert_equal 30, db.get("users", "u1")["age"]
        assert_equal 40, db.get("users", "u2")["age"]
      end
      assert_bdb_error(BucketDB::BadURI, "bogus") { BucketDB.recover("bogus:x") }
    end
  end
end
