# frozen_string_literal: true

# The Ruby side of bindings.cross: checks the row the Go program wrote, exactly, then writes
# one for it to check.   ruby cross.rb URI
require "bucketdb"

SCHEMA = '{"name":"extremes","version":1,"primaryKey":"id","fields":{' \
         '"id":{"typeId":10},"u64":{"typeId":3},"i64":{"typeId":5},"u8":{"typeId":1},' \
         '"f64":{"typeId":7},"b":{"typeId":6},"ts":{"typeId":8},"js":{"typeId":9},' \
         '"name":{"typeId":10},"raw":{"typeId":16},"blob":{"typeId":11}}}'

BucketDB.open(ARGV.fetch(0), read_staleness_ms: 0, log_level: "warn") do |db|
  db.register_schema(SCHEMA)
  row = db.fetch("extremes", "go")
  blob = db.read_blob(row.delete("blob"))
  want = {
    "id" => "go", "u64" => (1 << 64) - 1, "i64" => -(1 << 63), "u8" => 255, "f64" => Math::PI,
    "b" => true, "ts" => Time.at(0, -1, :millisecond, in: "UTC"),
    "js" => { "n" => (1 << 64) - 1, "s" => "Zoë 😀", "a" => [true, nil] }, "name" => "Zoë 😀",
    "raw" => "\x00\x01\xFE\xFF".b
  }
  abort "go's row:\n got  #{row.inspect}\n want #{want.inspect}" unless row == want
  abort "go's blob differs (#{blob.bytesize} bytes)" unless blob == ("\x00\xFFgo".b * 1000)
  puts "ruby read go's row exactly"
  db.update("extremes", "id" => "ruby", "u64" => (1 << 64) - 2, "i64" => -(1 << 63) + 1, "u8" => 254,
                        "f64" => -Math::E, "b" => false, "ts" => Time.at(1_234_567_890, 123, :millisecond),
                        "js" => { "from" => "ruby", "big" => (1 << 64) - 2 }, "name" => "Ünïcödé ✓",
                        "raw" => "\xFF\x00r".b, "blob" => BucketDB::Blob.new("ruby\x00" * 999))
  puts "ruby wrote its row"
end
