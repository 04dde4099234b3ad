# frozen_string_literal: true

require_relative "helper"
require "open3"
require "rbconfig"

# Handles a program forgets to close are freed by the garbage collector, whatever order it
# frees them in: the shim's count of live structs drops to zero. In the sanitized build (ASan
# runtime preloaded) a double free or a use after free in any of this aborts the interpreter,
# and a child interpreter with LeakSanitizer on shows that nothing of BucketDB's is left
# unreachable.
class TestOwnership < Minitest::Test
  include BucketDBTestHelper

  def forget(dir)
    10.times do |i|
      db = BucketDB.open(i.even? ? "memory:" : "file:#{dir}", log_level: "silent")
      db.register_schema(ALL)
      db.update("all", "id" => "k", "blob" => BucketDB::Blob.new("blob"), "u8" => i)
      b = db.batch
      b.update("all", "id" => "staged", "raw" => "\x01".b)
      q = db.query("all").where("u8", ">=", 0)
      c = q.cursor
      c.next_record
      db.get_record("all", "k").to_row
      db.key_record("all", "k")
      db.record("all").set_blob("blob", "staged blob")
      db.close if (i % 3).zero? # children outlive their database's handle
    end
    nil
  end

  def test_forgotten_handles_are_freed
    Dir.mktmpdir { |dir| forget(dir) }
    deadline = Time.now + 20
    while BucketDB::Native.liveHandles != 0 && Time.now < deadline
      GC.start(full_mark: true, immediate_sweep: true)
      sleep 0.01
    end
    assert_equal 0, BucketDB::Native.liveHandles
  end

  # lsan_child.rb MODE in a child interpreter with leak detection on: its LeakSanitizer report.
  def child_report(mode)
    env = { "ASAN_OPTIONS" => "detect_leaks=1:leak_check_at_exit=0:use_sigaltstack=0" }
    out, err, status = Open3.capture3(env, RbConfig.ruby, *bucketdb_includes, File.join(__dir__, "lsan_child.rb"),
                                      mode)
    assert status.success?, "child #{mode} failed: #{out}#{err}"
    assert_match(/leakCheck=/, out)
    err
  end

  # Ruby leaves many blocks LeakSanitizer sees as unreachable (it does not scan Ruby's heap),
  # so only leak records whose allocation stack passes through BucketDB's code count.
  def bucketdb_leaks(report)
    report.split(/\n\s*\n/).select { |r| r.include?("leak of") && r =~ /bdb|bucketdb/i }
  end

  def test_leak_sanitizer_finds_nothing_of_bucketdb
    skip "needs the ASan runtime (the sanitized build preloads it)" if BucketDB::Native.leakCheck == -1
    control = bucketdb_leaks(child_report("control"))
    refute_empty control, "the control's leaked options handle was not reported"
    assert_match(/bdb_options_new/, control.join)
    leaks = bucketdb_leaks(child_report("forget"))
    assert_empty leaks, leaks.join("\n\n")
  end
end
