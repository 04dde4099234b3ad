# frozen_string_literal: true

require_relative "helper"

# Whole-database calls of issue 18: drops, verify, export and import, progress, a delete that
# must find its row, orders of several keys.
class TestAdmin < Minitest::Test
  include BucketDBTestHelper

  def setup
    @db = open_memory
    seed_users(@db)
  end

  def teardown
    @db.close
  end

  def test_drop_table_and_index
    @db.register_schema(USERS.sub('"version":1', '"version":2').sub('"primaryKey"', '"indexes":["age"],"primaryKey"'))
    @db.drop_index("users", "age")
    assert_equal 3, @db.schemas.last["version"]
    assert_bdb_error(BucketDB::SchemaError, "age") { @db.drop_index("users", "age") }
    @db.drop_table("users")
    assert_bdb_error(BucketDB::SchemaError, "users") { @db.get("users", "u1") }
    assert_bdb_error(BucketDB::SchemaError, "users") { @db.drop_table("users") }
  end

  def test_verify_export_import_and_progress
    @db.merge
    report = @db.verify
    assert report["ok"]
    assert_equal 5, report["rows"]
    Dir.mktmpdir do |dir|
      dump = File.join(dir, "dump.ndjson")
      assert_equal 5, @db.export_to(dump)
      tasks = Queue.new
      copy = BucketDB.open("file:#{dir}/copy", log_level: "silent",
                                              progress: ->(task, done, total) { tasks << [task, done, total] })
      begin
        assert_equal 5, copy.import_from(dump, batch_rows: 2)
        assert_equal @db.get("users", "u3"), copy.get("users", "u3")
        assert_bdb_error(BucketDB::AlreadyExists, "line") { copy.import_from(dump) }
        assert_equal 5, copy.import_from(dump, upsert: true)
        assert copy.verify["ok"]
      ensure
        copy.close # delivers what is queued
      end
      seen = []
      seen << tasks.pop until tasks.empty?
      names = seen.map(&:first)
      assert_includes names, "import"
      assert_includes names, "verify"
      assert(seen.all? { |_, d, t| d.is_a?(Integer) && t.is_a?(Integer) })
    end
    assert_bdb_error(BucketDB::TypeMismatch, "progress") { BucketDB.open("memory:", progress: 42) }
  end

  def test_expect_exists_and_order_then
    assert_bdb_error(BucketDB::NotFound, "users", "zzz") do
      @db.batch do |b|
        b.delete("users", "u1")
        b.delete("users", "zzz").expect_exists
      end
    end
    refute_nil @db.get("users", "u1")
    @db.insert("users", "id" => "u6", "name" => "Anna", "age" => 3)
    rows = @db.query("users").order("name").order_then("age", desc: true).map { |r| r["id"] }
    assert_equal %w[u1 u4 u6 u2 u3 u5], rows
    assert_bdb_error(BucketDB::InvalidArgument, "name") { @db.query("users").order("name").order_then("name") }
  end
end
