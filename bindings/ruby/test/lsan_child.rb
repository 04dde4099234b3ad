# frozen_string_literal: true

# The child process of TestOwnership#test_leak_sanitizer_finds_nothing_of_bucketdb, run with
# LeakSanitizer on. "forget" makes every kind of handle, closing little, and lets the garbage
# collector free it all; "control" leaks a C options handle on purpose (through Fiddle, around
# the bindings). Then it asks LeakSanitizer, which prints what it finds to stderr.
require "bucketdb"
require "fiddle"
require "tmpdir"

SCHEMA = '{"name":"t","version":1,"primaryKey":"id","fields":{"id":{"typeId":10,"maxLength":36},' \
         '"n":{"typeId":3},"blob":{"typeId":11},"raw":{"typeId":16}}}'

def forget(dir)
  10.times do |i|
    db = BucketDB.open(i.even? ? "memory:" : "file:#{dir}", log_level: "silent")
    db.register_schema(SCHEMA)
    db.update("t", "id" => "k", "blob" => BucketDB::Blob.new("blob"), "n" => i)
    db.batch.update("t", "id" => "staged", "raw" => "\x01".b)
    db.query("t").where("n", ">=", 0).cursor.next_record
    db.get_record("t", "k").to_row
    db.key_record("t", "k")
    db.record("t").set_blob("blob", "staged blob")
    db.close if (i % 3).zero?
  end
  nil
end

if ARGV[0] == "control"
  options_new = Fiddle::Function.new(Fiddle::Handle::DEFAULT["bdb_options_new"],
                                     [Fiddle::TYPE_VOIDP], Fiddle::TYPE_INT)
  out = Fiddle::Pointer.malloc(Fiddle::SIZEOF_VOIDP, Fiddle::RUBY_FREE)
  options_new.call(out) # the bug: nobody frees it
else
  Dir.mktmpdir { |dir| forget(dir) }
  deadline = Time.now + 20
  while BucketDB::Native.liveHandles != 0 && Time.now < deadline
    GC.start(full_mark: true, immediate_sweep: true)
    sleep 0.01
  end
  abort "#{BucketDB::Native.liveHandles} shim handles still alive" unless BucketDB::Native.liveHandles.zero?
end
puts "leakCheck=#{BucketDB::Native.leakCheck}"
