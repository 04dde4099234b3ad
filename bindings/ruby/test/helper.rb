# frozen_string_literal: true

require "minitest/autorun"
require "bucketdb"
require "tmpdir"

module BucketDBTestHelper
  ALL = {
    name: "all", version: 1, primaryKey: "id",
    fields: {
      id: { typeId: 10, maxLength: 36 },
      u8: { typeId: 1 }, u16: { typeId: 12 }, u32: { typeId: 2 }, u64: { typeId: 3 },
      i8: { typeId: 13 }, i16: { typeId: 14 }, i32: { typeId: 4 }, i64: { typeId: 5 },
      b: { typeId: 6 }, f64: { typeId: 7 }, f32: { typeId: 15 }, ts: { typeId: 8 },
      js: { typeId: 9 }, name: { typeId: 10, maxLength: 8 }, blob: { typeId: 11 }, raw: { typeId: 16 }
    }
  }.freeze
  USERS = '{"name":"users","version":1,"fields":{"id":{"typeId":10,"maxLength":36},' \
          '"name":{"typeId":10,"maxLength":50},"age":{"typeId":1},"score":{"typeId":7}},' \
          '"primaryKey":"id"}'
  U64_MAX = (1 << 64) - 1

  # The -I options of this process's bucketdb.rb and bucketdb/native.so, for a child ruby.
  def bucketdb_includes
    dirs = $LOADED_FEATURES.grep(%r{/bucketdb(/native)?\.(rb|so)\z}).map { |f| File.dirname(f).delete_suffix("/bucketdb") }
    dirs.uniq.flat_map { |d| ["-I", d] }
  end

  def open_memory
    db = BucketDB.open("memory:", auto_merge: false, log_level: "silent")
    db.register_schema(ALL)
    db.register_schema(USERS)
    db
  end

  # Asserts the block raises error class cls whose message has every part; returns it.
  def assert_bdb_error(cls, *parts, &block)
    e = assert_raises(cls, &block)
    assert_kind_of BucketDB::Error, e
    assert_equal cls::CODE, e.code
    parts.each { |p| assert_includes e.message, p }
    e
  end

  def seed_users(db)
    [
      db.insert("users", "id" => "u1", "name" => "Alice", "age" => 30, "score" => 1.5),
      db.insert("users", "id" => "u2", "name" => "Bob", "age" => 41),
      db.insert("users", "id" => "u3", "name" => "Carol", "age" => 25, "score" => 9.0),
      db.insert("users", "id" => "u4", "name" => "Anna", "age" => 17, "score" => -2.0),
      db.insert("users", { id: "u5", name: "Dave" })
    ]
  end
end
