# frozen_string_literal: true

require_relative "helper"

# Every call of the Ruby binding and its error paths, on in-process databases.
class TestBucketDB < Minitest::Test
  include BucketDBTestHelper

  def setup
    @db = open_memory
  end

  def teardown
    @db.close
  end

  def ids(query) = query.map { |row| row["id"] }

  # ---- library, errors, open ---------------------------------------------------------------

  def test_versions
    refute_empty BucketDB::VERSION
    assert_equal BucketDB.version, BucketDB::VERSION
    assert_equal BucketDB.header_abi_version, BucketDB.abi_version
    assert_operator BucketDB.abi_version, :>=, 1
  end

  def test_error_classes_match_the_header
    n = BucketDB::Native
    header = [n::BDB_E_NOT_FOUND, n::BDB_E_INVALID, n::BDB_E_SCHEMA, n::BDB_E_TYPE, n::BDB_E_JSON,
              n::BDB_E_EXISTS, n::BDB_E_CONFLICT, n::BDB_E_CORRUPT, n::BDB_E_IO, n::BDB_E_PERMISSION,
              n::BDB_E_URI, n::BDB_E_NOMEM, n::BDB_E_NO_SPACE, n::BDB_E_BUSY, n::BDB_E_INTERNAL,
              n::BDB_E_INTERRUPTED]
    assert_equal (1..16).to_a, header
    BucketDB::ERRORS.each do |code, cls|
      assert_operator cls, :<, BucketDB::Error
      assert_operator BucketDB::Error, :<, StandardError
      assert_equal code, cls::CODE
      assert_same cls, BucketDB.error_class(code)
    end
    assert_same BucketDB::Error, BucketDB.error_class(99)
    types = [n::BDB_TYPE_UINT8, n::BDB_TYPE_UINT32, n::BDB_TYPE_UINT64, n::BDB_TYPE_INT32,
             n::BDB_TYPE_INT64, n::BDB_TYPE_BOOL, n::BDB_TYPE_FLOAT64, n::BDB_TYPE_TIMESTAMP,
             n::BDB_TYPE_JSON, n::BDB_TYPE_VARCHAR, n::BDB_TYPE_BLOB, n::BDB_TYPE_UINT16,
             n::BDB_TYPE_INT8, n::BDB_TYPE_INT16, n::BDB_TYPE_FLOAT32, n::BDB_TYPE_BYTES]
    assert_equal (1..16).to_a, types
    assert_equal BucketDB::TYPES.keys.sort, types
    e = assert_raises(BucketDB::Busy) { BucketDB.fail!(14, "slow") }
    assert_equal 14, e.code
    assert_equal "slow", e.message
  end

  def test_open_errors
    assert_bdb_error(BucketDB::BadURI, "bogus") { BucketDB.open("bogus:whatever") }
    assert_bdb_error(BucketDB::BadURI) { BucketDB.open("no-scheme") }
    assert_bdb_error(BucketDB::InvalidArgument, "noSuchOption") { BucketDB.open("memory:", no_such_option: 1) }
    assert_bdb_error(BucketDB::InvalidArgument, "nodeId") { BucketDB.open("memory:", node_id: 999) }
    assert_bdb_error(BucketDB::InvalidArgument, "ringSize") { BucketDB.open("memory:", ringSize: 1000) }
    assert_bdb_error(BucketDB::InvalidArgument, "logLevel") { BucketDB.open("memory:", log_level: "loud") }
    assert_bdb_error(BucketDB::InvalidArgument, "null") { BucketDB.open(nil) }
    assert_equal "dbPrefix", BucketDB.option_name(:prefix)
    assert_equal "readStalenessMs", BucketDB.option_name(:read_staleness_ms)
    assert_equal "gcGraceMs", BucketDB.option_name("gcGraceMs")
  end

  def test_open_with_a_block_closes_and_returns_the_value
    kept = nil
    value = BucketDB.open("memory:", log_level: "silent") do |db|
      kept = db
      refute db.closed?
      42
    end
    assert_equal 42, value
    assert kept.closed?
    assert_match(/closed/, kept.inspect)
    assert_raises(RuntimeError) do
      BucketDB.open("memory:", log_level: "silent") do |db|
        kept = db
        raise "boom"
      end
    end
    assert kept.closed?
  end

  def test_options_and_prefixes
    Dir.mktmpdir do |dir|
      BucketDB.open("file:#{dir}", prefix: "a", node_id: 3, ring_size: 4, auto_merge: false,
                                   read_staleness_ms: 0, log_level: "silent") do |a|
        BucketDB.open("file:#{dir}", db_prefix: "b", log_level: "silent") do |b|
          a.register_schema(USERS)
          a.insert("users", "id" => "x")
          assert_bdb_error(BucketDB::SchemaError, "users") { b.get("users", "x") }
          assert File.directory?(File.join(dir, "a"))
        end
      end
    end
  end

  def test_close_is_idempotent_and_final
    seed_users(@db)
    batch = @db.batch
    query = @db.query("users")
    cursor = @db.query("users").cursor
    rec = @db.get_record("users", "u1")
    @db.close
    @db.close
    assert @db.closed?
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { @db.get("users", "u1") }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { @db.register_schema(USERS) }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { @db.batch }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { @db.query("users") }
    assert_bdb_error(BucketDB::InvalidArgument, "database") { batch.insert_json("users", '{"id":"z"}') }
    assert_bdb_error(BucketDB::InvalidArgument, "database") { batch.commit }
    assert_bdb_error(BucketDB::InvalidArgument, "database") { query.count }
    assert_bdb_error(BucketDB::InvalidArgument, "database") { query.explain }
    assert_bdb_error(BucketDB::InvalidArgument, "database") { cursor.next_record }
    assert_equal "Alice", rec["name"] # records do not depend on the database
    2.times do
      batch.close
      query.close
      cursor.close
      rec.close
    end
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { batch.clear }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { query.limit(1) }
    assert rec.closed?
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { rec["name"] }
    assert_equal "#<BucketDB::Record (closed)>", rec.inspect
  end

  def test_schemas
    @db.register_schema(USERS)
    assert_bdb_error(BucketDB::SchemaError, "users") { @db.register_schema(USERS.sub('"maxLength":50', '"maxLength":60')) }
    assert_bdb_error(BucketDB::JSONError) { @db.register_schema('{"name":') }
    v2 = JSON.parse(USERS)
    v2["version"] = 2
    v2["fields"]["email"] = { "typeId" => 10 }
    @db.register_schema(v2)
    names = @db.schemas.map { |s| [s["name"], s["version"]] }
    assert_includes names, ["users", 2]
    assert_includes names, ["all", 1]
    r = @db.record("users")
    assert_equal 2, r.schema_version
    assert_equal :varchar, r.type(:email)
    assert_nil r.type("nope")
  end

  def extremes
    {
      "id" => "max", "u8" => 255, "u16" => 65_535, "u32" => 4_294_967_295, "u64" => U64_MAX,
      "i8" => -128, "i16" => -32_768, "i32" => -2_147_483_648, "i64" => -(1 << 63), "b" => true,
      "f64" => Float::MIN, "f32" => 3.25, "ts" => Time.at(1_709_251_198, 123, :millisecond, in: "UTC"),
      "js" => { "big" => U64_MAX, "list" => [1, "two", nil] }, "name" => "Zoë 😀",
      "raw" => "\x00\x01\x02\xFF".b
    }
  end

  def test_round_trip_every_type
    seq = @db.insert("all", extremes)
    got = @db.get("all", "max")
    assert_equal extremes, got
    assert_equal Encoding::UTF_8, got["name"].encoding
    assert_equal Encoding::BINARY, got["raw"].encoding
    json = @db.get_json("all", "max")
    assert_includes json, '"u64":18446744073709551615'
    assert_includes json, '"i64":-9223372036854775808'
    r = @db.get_record("all", "max")
    assert_equal seq, r.version
    assert_operator r.misc, :>, 0
    assert_operator r.commit_time, :>, Time.utc(2020)
    assert_equal "all", r.table
    assert_match(/\A#<BucketDB::Record \{/, r.inspect)
    assert_equal JSON.parse(json), JSON.parse(r.to_json)
    # Other Ruby values: symbols, a JSON string, a binary string for varchar, nil, NaN.
    @db.update("all", id: "other", js: "just a string", name: "bytes".b, u8: nil, f64: -Float::INFINITY,
                      f32: Float::NAN, raw: "text", ts: Time.at(1, in: "UTC"), i64: 5)
    got = @db.get("all", "other")
    assert_equal "just a string", got["js"]
    assert_equal "bytes", got["name"]
    refute got.key?("u8")
    assert_equal(-Float::INFINITY, got["f64"])
    assert got["f32"].nan?
    assert_equal "text".b, got["raw"]
    assert_equal Time.at(1, in: "UTC"), got["ts"]
    assert_equal 5, got["i64"]
  end

  def test_map_write_errors
    [
      [{ "nope" => 1 }, BucketDB::SchemaError, "nope"],
      [{ "u8" => 256 }, BucketDB::TypeMismatch, "u8"],
      [{ "u8" => -1 }, BucketDB::TypeMismatch, "u8"],
      [{ "u64" => U64_MAX + 1 }, BucketDB::TypeMismatch, "u64"],
      [{ "i64" => U64_MAX }, BucketDB::TypeMismatch, "i64"],
      [{ "i64" => -(1 << 64) }, BucketDB::TypeMismatch, "i64"],
      [{ "u32" => 1.5 }, BucketDB::TypeMismatch, "u32"],
      [{ "name" => "123456789" }, BucketDB::TypeMismatch, "name"],
      [{ "name" => "\xFF".b }, BucketDB::TypeMismatch, "name"],
      [{ "b" => "yes" }, BucketDB::TypeMismatch, "b"],
      [{ "js" => "\xFF".b }, BucketDB::TypeMismatch, "js"],
      [{ "blob" => "not-a-uuid" }, BucketDB::TypeMismatch, "blob"],
      [{ "ts" => "yesterday" }, BucketDB::TypeMismatch, "ts"]
    ].each do |row, cls, part|
      assert_bdb_error(cls, part) { @db.insert("all", { "id" => "a" }.merge(row)) }
    end
    assert_bdb_error(BucketDB::SchemaError, "nope") { @db.insert("nope", "id" => "a") }
    assert_equal 0, @db.query("all").count
  end

  def test_typed_accessors
    r = @db.record("all")
    assert_equal 0, r.version
    assert_equal 0, r.misc
    refute r.has?("id")
    assert_equal :uint8, r.type("u8")
    assert_equal 17, r.fields.size
    assert_equal "id", r.fields.first
    r.set_string("id", "k1").set_uint("u64", U64_MAX).set_int("i64", -(1 << 63)).set_int("u8", 7)
     .set_bool("b", true).set_float("f64", 0.1).set_float("f32", 2.0).set_time("ts", Time.at(0, -1, :millisecond))
     .set_json("js", "[1, 2,  3]").set_bytes("raw", "".b).set_string("name", "ok")
     .set_json("i32", "-7").set_blob("blob", "blob bytes")
    r[:u16] = 9
    assert_equal U64_MAX, r.get_uint("u64")
    assert_equal(-(1 << 63), r.get_int("i64"))
    assert_equal 7, r.get_int("u8")
    assert r.get_bool("b")
    assert_in_delta 0.1, r.get_float("f64"), 0
    assert_in_delta 7.0, r.get_float("u8"), 0
    assert_equal Time.at(0, -1, :millisecond).utc, r.get_time("ts")
    assert_equal "[1,2,3]", r.get_string("js")
    assert_equal "[1,2,3]", r.get_json("js")
    assert_equal [1, 2, 3], r["js"]
    assert_equal "18446744073709551615", r.get_json("u64")
    assert_equal "".b, r.get_bytes("raw")
    assert_equal "ok", r.get_string("name")
    assert_equal 36, r.blob_id("blob").size
    assert_equal 9, r["u16"]
    assert_nil r["u32"]
    assert_includes r.to_json, '"i32":-7'
    r.set_string("js", '{ "a" : 1 }')
    assert_equal '{ "a" : 1 }', r.get_string("js")
    # Error paths.
    assert_bdb_error(BucketDB::TypeMismatch, "u64") { r.get_int("u64") }
    r.set_int("i32", -1)
    assert_bdb_error(BucketDB::TypeMismatch, "i32") { r.get_uint("i32") }
    assert_bdb_error(BucketDB::TypeMismatch, "u8") { r.get_bool("u8") }
    assert_bdb_error(BucketDB::TypeMismatch, "u8") { r.get_string("u8") }
    assert_bdb_error(BucketDB::TypeMismatch, "u8") { r.get_bytes("u8") }
    assert_bdb_error(BucketDB::TypeMismatch, "name") { r.get_float("name") }
    assert_bdb_error(BucketDB::TypeMismatch, "name") { r.blob_id("name") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { r.get_int("nope") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { r["nope"] }
    r.set_null("u8")
    assert_bdb_error(BucketDB::NotFound, "u8") { r.get_int("u8") }
    assert_bdb_error(BucketDB::NotFound, "u8") { r.get_json("u8") }
    assert_bdb_error(BucketDB::NotFound, "u8") { r.get_time("u8") }
    assert_bdb_error(BucketDB::TypeMismatch, "u8") { r.set_uint("u8", 256) }
    assert_bdb_error(BucketDB::TypeMismatch, "u8") { r.set_int("u8", -1) }
    assert_bdb_error(BucketDB::TypeMismatch, "u8") { r.set_float("u8", 0.5) }
    assert_bdb_error(BucketDB::TypeMismatch, "raw") { r.set_string("raw", "x") }
    assert_bdb_error(BucketDB::TypeMismatch, "name") { r.set_bytes("name", "x") }
    assert_bdb_error(BucketDB::TypeMismatch, "name") { r.set_string("name", "way too long") }
    assert_bdb_error(BucketDB::JSONError) { r.set_json("js", "{") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { r.set_bool("nope", true) }
    assert_bdb_error(BucketDB::SchemaError, "nope") { r.set_null("nope") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { r["nope"] = 1 }
    assert_bdb_error(BucketDB::TypeMismatch, "name") { r.set_blob("name", "x") }
    assert_raises(TypeError) { r.set_int("i8", "x") } # SWIG's own argument check
    seq = @db.update("all", "id" => "k0")
    seq2 = @db.batch { |b| b.update(r) }
    assert_operator seq2, :>, seq
    got = @db.get_record("all", "k1")
    assert_equal seq2, got.version
    refute got.has?("u8")
    assert_equal "blob bytes", @db.read_blob(got.blob_id("blob"))
    assert_equal Encoding::BINARY, @db.read_blob(got.blob_id("blob")).encoding
  end

  def test_keys_and_gets
    ['"quoted"', "", "42", "with space", "ünï 😀"].each do |k|
      @db.insert("users", "id" => k, "name" => "n")
      assert_equal k, @db.get("users", k)["id"]
      assert_equal k, @db.fetch("users", k)["id"]
      assert_includes @db.get_json("users", k), '"name":"n"'
    end
    assert_nil @db.get("users", "missing")
    assert_nil @db.get_json("users", "missing")
    assert_nil @db.get_record("users", "missing")
    assert_bdb_error(BucketDB::NotFound, "missing") { @db.fetch("users", "missing") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { @db.get("nope", "x") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { @db.get_json("nope", "x") }
    assert_bdb_error(BucketDB::TypeMismatch, "Object") { @db.get("users", Object.new) }
    assert_bdb_error(BucketDB::TypeMismatch) { @db.get_json("users", "\xFF") }
    # bucketdb.h reads unquoted key text of a varchar key verbatim: 42 is the key "42".
    assert_equal "42", @db.get("users", 42)["id"]
    k = @db.record("users")
    k["id"] = "42"
    assert_equal "n", @db.lookup(k)["name"]
    closed = @db.key_record("users", "42")
    closed.close
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { @db.lookup(closed) }
    assert_bdb_error(BucketDB::TypeMismatch, "age") { @db.record_from_json("users", '{"id":"j","age":300}') }
    assert_bdb_error(BucketDB::JSONError) { @db.record_from_json("users", '{"id":') }
    assert_equal({ "id" => "j", "age" => 3 }, @db.record_from_json("users", '{"id":"j","age":3}').to_h)
    assert_bdb_error(BucketDB::TypeMismatch, "age") { @db.record("users", "id" => "x", "age" => "old") }
    assert_bdb_error(BucketDB::SchemaError) { @db.record("nope") }
  end

  def test_batches
    b = @db.batch
    b.insert("users", "id" => "a", "name" => "A", "age" => 1)
     .insert_json("users", '{"id":"b","name":"B","age":2}')
     .update_json("users", '{"id":"c","name":"C","age":3}')
     .update("users", "id" => "d", "name" => "D")
    assert_equal 4, b.size
    seq1 = b.commit
    assert_equal 0, b.length
    kd = @db.key_record("users", "d")
    b.patch("users", "id" => "a", "age" => 10).expect_version(seq1)
     .patch_json("users", '{"id":"b","name":"Bee"}')
     .delete("users", "c").expect_version(seq1)
     .delete(kd)
     .delete_key_text("users", "absent")
    b.commit
    assert_equal [{ "id" => "a", "name" => "A", "age" => 10 }, { "id" => "b", "name" => "Bee", "age" => 2 }],
                 @db.query("users").to_a
    # A failed precondition applies nothing; the batch keeps its operations.
    b.patch("users", "id" => "a", "age" => 11).expect_version(seq1).insert("users", "id" => "new")
    assert_bdb_error(BucketDB::Conflict, "users") { b.commit }
    assert_equal 2, b.size
    assert_equal 0, b.clear.size
    b.update("users", "id" => "a").expect_version(0)
    assert_bdb_error(BucketDB::Conflict) { b.commit }
    b.clear
    assert_bdb_error(BucketDB::AlreadyExists, "a") { @db.insert("users", "id" => "a") }
    assert_bdb_error(BucketDB::NotFound, "missing") { @db.patch("users", "id" => "missing", "age" => 1) }
    assert_bdb_error(BucketDB::InvalidArgument, "no operation") { b.expect_version(1) }
    assert_bdb_error(BucketDB::JSONError) { b.insert_json("users", '{"id":') }
    assert_bdb_error(BucketDB::SchemaError, "nope") { b.insert_json("nope", "{}") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { b.delete("nope", "x") }
    assert_bdb_error(BucketDB::TypeMismatch) { b.delete("users", Object.new) }
    assert_bdb_error(BucketDB::TypeMismatch, "age") { b.insert("users", "id" => "x", "age" => -1) }
    closed = @db.record("users")
    closed.close
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { b.insert(closed) }
    d = @db.record("users", "id" => "t", "name" => "T")
    seq3 = @db.batch { |x| x.insert(d) }
    d["age"] = 5
    @db.batch { |x| x.patch(d).expect_version(seq3) }
    assert_equal 5, @db.get("users", "t")["age"]
    @db.update("users", "id" => "t", "name" => "T2")
    @db.delete("users", "t")
    assert_nil @db.get("users", "t")
    b.delete("users", "never-there")
    assert_operator b.commit, :>, 0
    b.commit # empty
    # A block that raises drops its batch.
    assert_raises(RuntimeError) do
      @db.batch do |x|
        x.insert("users", "id" => "dropped")
        raise "boom"
      end
    end
    assert_nil @db.get("users", "dropped")
    b.close
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { b.insert("users", "id" => "late") }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { b.commit }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { b.size }
  end


  def test_page_tokens
    seed_users(@db)
    walked = []
    token = ""
    4.times do
      c = @db.query("users").order("age").limit(2).after(token).cursor
      rows = c.to_a
      walked.concat(rows.map { |r| r["id"] })
      nxt = c.page_token # readable after the cursor closed itself
      assert_equal token, nxt if rows.empty?
      token = nxt
    end
    assert_equal %w[u5 u4 u3 u1 u2], walked
    c = @db.query("users").cursor
    assert_equal "", c.page_token
    c.close
    assert_bdb_error(BucketDB::InvalidArgument, "page token") { @db.query("users").after("not a token!") }
    assert_bdb_error(BucketDB::InvalidArgument, "ordered by age") { @db.query("users").after(token).count }
    assert_equal 5, @db.query("users").after(token).after(nil).count
  end

  def test_queries
    seqs = seed_users(@db)
    q = ->(*) { @db.query("users") }
    {
      q.call => %w[u1 u2 u3 u4 u5],
      q.call.where("age", "=", 30) => %w[u1],
      q.call.where(:age, "!=", 30) => %w[u2 u3 u4],
      q.call.where("age", "<", 25) => %w[u4],
      q.call.where("age", "<=", 25) => %w[u3 u4],
      q.call.where("age", ">", 30) => %w[u2],
      q.call.where("age", ">=", 30) => %w[u1 u2],
      q.call.where("name", "in", %w[Bob Dave Zed]) => %w[u2 u5],
      q.call.where("age", "in", [17, 41]) => %w[u2 u4],
      q.call.where("age", "in", []) => [],
      q.call.where("name", "prefix", "A") => %w[u1 u4],
      q.call.where("score", "isnull") => %w[u2 u5],
      q.call.where("age", :notnull, "ignored") => %w[u1 u2 u3 u4],
      q.call.where("name", "prefix", "A").where("age", ">", 20) => %w[u1],
      q.call.where("score", ">", -1.5).where("score", "<", 2) => %w[u1],
      q.call.order("age") => %w[u5 u4 u3 u1 u2],
      q.call.order("age", desc: true) => %w[u2 u1 u3 u4 u5],
      q.call.order("id", desc: true).limit(2) => %w[u5 u4],
      q.call.order("age", desc: true).offset(1).limit(2) => %w[u1 u3],
      q.call.offset(10) => [],
      q.call.as_of(seqs[1]) => %w[u1 u2],
      q.call.as_of(seqs[0]).where("age", ">", 0) => %w[u1],
      q.call.where("age", "=", 30).or.where("name", "prefix", "A") => %w[u1 u4],
      q.call.where("age", ">", 30).or.where("score", "isnull") => %w[u2 u5]
    }.each do |query, want|
      assert_equal want, ids(query)
    end
    assert_equal [{ "id" => "u1", "name" => "Alice" }], @db.query("users").select("name").where("id", "=", "u1").to_a
    # Enumerable works on the rows; count and select without a block are the query's own.
    assert_equal %w[Alice Anna], @db.query("users").select { |u| u["name"].start_with?("A") }.map { |u| u["name"] }
    assert_equal 2, @db.query("users").count { |u| u["age"].to_i > 29 }
    assert_equal "u1", @db.query("users").first["id"]
    query = @db.query("users").where("age", "notnull")
    assert_equal 4, query.count
    query.offset(1).limit(2)
    assert_equal 2, query.count
    assert_equal 2, query.count
    at = @db.get_record("users", "u1").commit_time
    @db.delete("users", "u1")
    assert_equal %w[u1], ids(@db.query("users").as_of_time(at).where("id", "=", "u1"))
    assert_equal %w[u1], ids(@db.query("users").as_of_time((at.to_r * 1000).to_i).where("id", "=", "u1"))
    assert_equal [], ids(@db.query("users").where("id", "=", "u1"))
    assert_bdb_error(BucketDB::SchemaError, "nope") { @db.query("nope") }
    query = @db.query("users")
    assert_bdb_error(BucketDB::SchemaError, "nope") { query.where("nope", "=", 1) }
    assert_bdb_error(BucketDB::InvalidArgument, "~") { query.where("age", "~", 1) }
    assert_bdb_error(BucketDB::TypeMismatch, "age") { query.where("age", "=", "x") }
    assert_bdb_error(BucketDB::TypeMismatch, "array") { query.where("age", "in", 5) }
    assert_bdb_error(BucketDB::TypeMismatch, "Object") { query.where("age", "=", Object.new) }
    assert_bdb_error(BucketDB::SchemaError, "nope") { query.order("nope") }
    assert_bdb_error(BucketDB::SchemaError, "nope") { query.select("nope") }
    either = @db.query("users")
    assert_bdb_error(BucketDB::InvalidArgument, "before it") { either.or }
    either.where("age", "=", 30).or
    assert_bdb_error(BucketDB::InvalidArgument, "after it") { either.count }
    either.close
    BucketDB.open("memory:", gc_grace_ms: 0, auto_merge: false) do |s|
      s.register_schema(USERS)
      old = s.insert("users", "id" => "a")
      s.update("users", "id" => "a", "age" => 2)
      assert_operator s.merge, :>, 0
      s.gc
      assert_bdb_error(BucketDB::NotFound, "retained") { s.query("users").as_of(old).count }
      assert_bdb_error(BucketDB::NotFound, "retained") { s.query("users").as_of(old).to_a }
    end
    # Explain: a primary-key lookup, or a scan of a field without an index.
    assert_includes @db.query("users").where("id", "=", "u2").explain, "primary key"
    assert_includes @db.query("users").where("age", ">", 1).explain, "full scan"
    query.close
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { query.count }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { query.to_a }
    assert_bdb_error(BucketDB::InvalidArgument, "closed") { query.explain }
  end

  def test_cursors
    seed_users(@db)
    c = @db.query("users").where("age", ">=", 18).order("age", desc: true).cursor
    records = []
    c.each_record { |r| records << r }
    assert_nil c.next_record
    assert_equal %w[Bob Alice Carol], records.map { |r| r.get_string("name") }
    assert_equal [41, 30, 25], records.map { |r| r["age"] }
    c = @db.query("users").select("age").cursor
    rows = c.to_a
    assert_equal 5, rows.size
    assert_equal({ "id" => "u1", "age" => 30 }, rows.first)
    assert_equal({ "id" => "u5" }, rows.last)
    assert_nil c.next_hash
    assert_equal [], c.to_a
    assert_kind_of Enumerator, @db.query("users").cursor.each
    assert_equal %w[u1 u2], @db.query("users").each_record.first(2).map { |r| r["id"] }
    # A cursor reads the database as of its creation; stopping early is fine.
    c = @db.query("users").cursor
    @db.insert("users", "id" => "u0")
    assert_equal "u1", c.next_hash["id"]
    c.close
    assert_nil c.next_record
  end

  def test_blobs
    big = (0...300_000).map { |i| (i * 7) & 0xff }.pack("C*")
    @db.insert("all", "id" => "b1", "blob" => BucketDB::Blob.new(big))
    row = @db.get("all", "b1")
    id = row["blob"]
    assert_equal big, @db.read_blob(id)
    row["u8"] = 1
    @db.update("all", row)
    assert_equal id, @db.get("all", "b1")["blob"]
    assert_bdb_error(BucketDB::TypeMismatch, "blob", "one row") { @db.insert("all", "id" => "b2", "blob" => id) }
    @db.insert("all", "id" => "b3", "blob" => BucketDB::Blob.new(""))
    assert_equal "".b, @db.read_blob(@db.get("all", "b3")["blob"])
    assert_bdb_error(BucketDB::NotFound) { @db.read_blob("00000000-0000-0000-0000-000000000000") }
    assert_bdb_error(BucketDB::InvalidArgument) { @db.read_blob("not a uuid") }
  end

  def test_maintenance
    seed_users(@db)
    assert_equal 7, @db.merge # two schemas and five inserts
    assert_equal 0, @db.merge
    assert_operator @db.gc, :>=, 0
    %w[block0 log blocks].each { |what| refute_nil @db.inspect_storage(what) }
    assert_bdb_error(BucketDB::InvalidArgument, "nope") { @db.inspect_storage("nope") }
    assert_kind_of Hash, @db.stats
    assert_nil @db.refresh
    assert_equal 5, @db.query("users").count
  end

  def test_driver_check
    # A named memory store: every handle the checks open must see the same objects.
    report = BucketDB.driver_check("memory:driver-check")
    assert_equal "memory", report["driver"]
    assert_operator report["passed"], :>, 0
    assert_equal report["checks"].size, report.values_at("passed", "failed", "skipped").sum
    assert_bdb_error(BucketDB::BadURI, "bogus") { BucketDB.driver_check("bogus:whatever") }
  end

  def test_rows
    r = @db.record("all", extremes)
    row = r.to_row
    assert_equal 1, row.version
    refute_empty row.fixed
    refute_empty row.heap
    assert_equal extremes, @db.record_from_row("all", row).to_h
    assert_raises(BucketDB::Error) { @db.record_from_row("all", BucketDB::Row.new(1, "\x01\x02\x03", "")) }
    assert_bdb_error(BucketDB::SchemaError) { @db.record_from_row("all", BucketDB::Row.new(9, row.fixed, row.heap)) }
    assert_bdb_error(BucketDB::SchemaError, "nope") { @db.record_from_row("nope", row) }
  end

  # Ruby threads on one database, closed while they run: calls work or raise InvalidArgument.
  def test_threads_and_close
    errors = Queue.new
    threads = 4.times.map do |g|
      Thread.new do
        200.times do |i|
          @db.update("users", "id" => "t#{g}-#{i % 10}", "age" => i % 200)
          @db.query("users").where("age", ">=", 0).count
        end
      rescue StandardError => e
        errors << e
      end
    end
    sleep 0.02
    @db.close
    threads.each(&:join)
    until errors.empty?
      e = errors.pop
      assert_kind_of BucketDB::InvalidArgument, e
    end
  end
end
