# frozen_string_literal: true

require "json"
require "bucketdb/native" # the SWIG extension (bindings/bucketdb.i): BucketDB::Native

# BucketDB: an embedded document database whose durable state lives in object storage (S3 and
# compatibles, or a local directory).
#
#   BucketDB.open("file:./data", read_staleness_ms: 0) do |db|
#     db.register_schema(name: "users", version: 1, primaryKey: "id",
#                        fields: { id: { typeId: 10 }, age: { typeId: 1 } })
#     db.insert("users", "id" => "u1", "age" => 30)
#     db.get("users", "u1")                                    # => {"id"=>"u1", "age"=>30}
#     db.query("users").where("age", ">=", 18).order("age", desc: true).each { |u| p u }
#   end
#
# Documents are Hashes with String keys. Every failure raises a subclass of BucketDB::Error
# (one per status code, e.g. BucketDB::NotFound) with #code. What a program forgets to close is
# freed by the garbage collector; #close frees it at once.
module BucketDB
  # The library's version, e.g. "0.1.0".
  VERSION = Native.version

  # The base of every error; the extension defines it and one subclass per status code.
  class Error
    # The bucketdb.h status code.
    def code
      @code || self.class::CODE
    end
  end

  ERRORS = {
    1 => NotFound, 2 => InvalidArgument, 3 => SchemaError, 4 => TypeMismatch, 5 => JSONError,
    6 => AlreadyExists, 7 => Conflict, 8 => Corrupt, 9 => StorageError, 10 => PermissionDenied,
    11 => BadURI, 12 => OutOfMemory, 13 => StorageFull, 14 => Busy, 15 => InternalError,
    16 => Interrupted
  }.freeze
  ERRORS.each { |code, cls| cls.const_set(:CODE, code) }
  Error.const_set(:CODE, 0)

  # Field type ids (bdb_type in bucketdb.h) and the Ruby class each maps to.
  TYPES = {
    1 => :uint8, 2 => :uint32, 3 => :uint64, 4 => :int32, 5 => :int64, 6 => :boolean,
    7 => :float64, 8 => :timestamp, 9 => :json, 10 => :varchar, 11 => :blob, 12 => :uint16,
    13 => :int8, 14 => :int16, 15 => :float32, 16 => :bytes
  }.freeze
  UNSIGNED = [1, 2, 3, 12].freeze
  UINT64_MAX = (1 << 64) - 1
  INT64_RANGE = (-(1 << 63)..((1 << 63) - 1)).freeze

  # New content for a blob field, uploaded when the batch commits. (A String in a blob field
  # is the id the row already holds.)
  Blob = Struct.new(:data)

  # A record encoded as a row, for generated codecs (bucketdb-schemac).
  Row = Struct.new(:version, :fixed, :heap)

  class << self
    # Opens the database at uri ("file:PATH", "memory:", "memory:NAME", "s3://...",
    # "plugin:/path/driver.so?config", any "scheme:..." with a driver plugin), creating it when
    # it does not exist unless create_if_missing: false (then NotFound) or read_only: true (a
    # handle that never writes: commits raise InvalidArgument). Options are the names of
    # bucketdb.h in snake_case or as written (prefix: is dbPrefix), e.g. read_staleness_ms: 0,
    # max_requests_in_flight: 16, log_level: "debug"; logger: a Logger (or anything with
    # #add(severity, message, progname)) takes the database's log lines instead of stderr.
    # With a block, yields the database, closes it afterwards and returns the block's value.
    def open(uri, **opts)
      db = Database.new(uri, **opts)
      return db unless block_given?

      begin
        yield db
      ensure
        db.close
      end
    end

    # Runs the storage-driver conformance checks against the store of uri (any URI open
    # takes) under a scratch key prefix it deletes afterwards: the report as a Hash
    # ("driver", "capabilities", "passed", "failed", "skipped", "checks"). Raises only when
    # the driver cannot be loaded or opened. Takes seconds.
    def driver_check(uri) = JSON.parse(Native.driverCheck(uri))

    # Examines the database at uri (under the prefix: option) without opening it, as SQLite's
    # .recover does: a Hash with "block0" ("present" or "missing"), "log" ({"entries",
    # "first", "last", "missing"}), "tables", "problems", "actions" and "written".
    # write: true rebuilds a lost Block 0 from what remains (creating only absent objects);
    # accept_lost_entries: true also gives up missing log entries for good; schemas: (a Hash,
    # an Array of them or JSON text) describes tables no remaining log entry registers.
    # Raises Corrupt, writing nothing, when a problem stands in the way.
    def recover(uri, write: false, accept_lost_entries: false, schemas: nil, **opts)
      flags = (write ? Native::BDB_RECOVER_WRITE : 0) |
              (accept_lost_entries ? Native::BDB_RECOVER_ACCEPT_LOST_ENTRIES : 0)
      text = schemas.nil? || schemas.is_a?(String) ? schemas.to_s : JSON.generate(schemas)
      JSON.parse(Native.recoverJson(uri, native_options(opts), text, flags))
    end

    # The extension's Options for open's keyword arguments (but logger:).
    def native_options(opts)
      o = Native::Options.new
      opts.each { |k, v| o.set(option_name(k), option_value(v)) }
      o
    end

    def abi_version = Native.abiVersion
    def header_abi_version = Native.headerAbiVersion
    def version = Native.version

    # The Ruby error class for a status code.
    def error_class(code) = ERRORS.fetch(code, Error)

    # Raises the error of a status code (for errors the Ruby layer finds itself).
    def fail!(code, message)
      e = error_class(code).new(message)
      e.instance_variable_set(:@code, code)
      raise e
    end

    # A value as the JSON the library expects for a field value: integers exact, binary
    # Strings as base64, Times as milliseconds, NaN and the infinities as strings.
    def json_literal(value)
      case value
      when nil, true, false, Integer then JSON.generate(value)
      when Float
        if value.nan? then '"NaN"'
        elsif value.infinite? then value.positive? ? '"Infinity"' : '"-Infinity"'
        else JSON.generate(value)
        end
      when String
        if value.encoding == Encoding::BINARY then JSON.generate([value].pack("m0"))
        else JSON.generate(value)
        end
      when Symbol then JSON.generate(value.to_s)
      when Time then (value.to_r * 1000).floor.to_s
      when Array then "[#{value.map { |v| json_literal(v) }.join(',')}]"
      when Hash then JSON.generate(value)
      else
        fail!(4, "cannot write a #{value.class} as JSON")
      end
    rescue JSON::GeneratorError, EncodingError => e
      fail!(4, e.message)
    end

    # "read_staleness_ms" -> "readStalenessMs"; prefix: -> "dbPrefix".
    def option_name(key)
      name = key.to_s
      return "dbPrefix" if name == "prefix"
      return name unless name.include?("_")

      first, *rest = name.split("_")
      first + rest.map(&:capitalize).join
    end

    def option_value(value)
      case value
      when true then "1"
      when false then "0"
      else value.to_s
      end
    end
  end

  # The library's log lines, handed to a Logger by a Ruby thread: the library logs from threads
  # of its own, which must not wait for Ruby, so the extension queues the lines
  # (Native::LogQueue) and this thread takes them.
  class LogDelivery
    SEVERITIES = [0, 1, 2, 3].freeze # Logger::DEBUG, INFO, WARN, ERROR

    attr_reader :queue

    def initialize(logger)
      unless logger.respond_to?(:add)
        BucketDB.fail!(4, "logger: expected a Logger (anything with #add), not a #{logger.class}")
      end
      @logger = logger
      start
    end

    # No more lines: delivers what is queued, then ends (lines logged later go to stderr).
    def finish
      @queue.close
      @thread.join unless Thread.current == @thread
    end

    private

    def start
      @queue = Native::LogQueue.new
      @thread = Thread.new { run }
      @thread.name = "bucketdb log"
      @thread.report_on_exception = false
    end

    def run
      while (line = @queue.pop)
        begin
          deliver(*line)
        rescue StandardError => e
          warn "bucketdb: the #{what} raised #{e.class}: #{e.message}"
        end
      end
    end

    def what = "logger"

    def deliver(level, subsystem, message)
      @logger.add(SEVERITIES.fetch(level, 3), "#{subsystem}: #{message}", "bucketdb")
    end
  end

  # The progress of long work, handed to a callable (task, done, total) by a Ruby thread: the
  # extension queues it as log lines (the task, then "DONE TOTAL").
  class ProgressDelivery < LogDelivery
    def initialize(progress) # rubocop:disable Lint/MissingSuper
      unless progress.respond_to?(:call)
        BucketDB.fail!(4, "progress: expected a callable (task, done, total), not a #{progress.class}")
      end
      @progress = progress
      start
    end

    private

    def what = "progress callable"

    def deliver(_level, task, numbers)
      done, total = numbers.split.map(&:to_i)
      @progress.call(task, done, total)
    end
  end

  # An open database. Safe to share between threads: calls that wait on storage release the GVL
  # and stop when the thread is interrupted (see #interrupt).
  class Database
    def initialize(uri, logger: nil, progress: nil, **opts)
      o = BucketDB.native_options(opts)
      @log = logger && LogDelivery.new(logger)
      o.setLogger(@log.queue) if @log
      @progress = progress && ProgressDelivery.new(progress)
      o.setProgress(@progress.queue) if @progress
      begin
        @n = Native::Database.new(uri, o)
      rescue StandardError
        @log&.finish # the lines of the failed open are delivered
        @progress&.finish
        raise
      end
      @tables = {}
      @tables_lock = Mutex.new
    end

    # Waits for calls under way and background work, runs the merge at close when one is due,
    # and closes the database: later calls on it, and on its batches, queries and cursors,
    # raise InvalidArgument. A merge at close that failed raises (StorageError, ...), yet
    # loses nothing: every commit is in the log, and the database is closed all the same.
    # With a logger, its lines are delivered before close returns. Records stay usable.
    # Closing twice is harmless.
    def close
      @n.close
      nil
    ensure
      @log&.finish
      @progress&.finish
    end

    def closed? = @n.isOpen.zero?

    def inspect = "#<BucketDB::Database#{closed? ? ' (closed)' : ''}>"

    # Registers a schema: its JSON text, a Hash, or an Array of them (all or none). A new
    # version of a table that would lose values of the newest one (a field dropped, a
    # maxLength narrowed, a type changed) raises SchemaError naming each field, unless
    # allow_lossy: true: then reads convert what fits and null the rest. The Hash may come as
    # bare keywords: register_schema(name: "users", version: 1, ...).
    def register_schema(schema = nil, allow_lossy: false, **fields)
      if schema.nil?
        raise ArgumentError, "register_schema: no schema given" if fields.empty?
        schema = fields
      elsif !fields.empty?
        raise ArgumentError, "register_schema: unknown keywords #{fields.keys.join(', ')}"
      end
      text = schema.is_a?(String) ? schema : JSON.generate(schema)
      @n.registerSchema(text, allow_lossy ? Native::BDB_SCHEMA_ALLOW_LOSSY : 0)
      nil
    end

    # Every registered schema version.
    def schemas = JSON.parse(@n.schemasJson)

    # ---- records ---------------------------------------------------------------------------

    # A new record of table, with the fields of values.
    def record(table, values = nil)
      r = Record.new(self, @n.newDoc(table))
      r.update(values) if values
      r
    rescue StandardError
      r&.close
      raise
    end

    def record_from_json(table, json) = Record.new(self, @n.docFromJson(table, json))

    def record_from_row(table, row)
      Record.new(self, @n.docFromRow(table, row.version, row.fixed, row.heap))
    end

    # A record holding only the primary key.
    def key_record(table, key) = Record.new(self, @n.keyDoc(table, BucketDB.json_literal(key)))

    # ---- reads -----------------------------------------------------------------------------

    # The row with primary key key as a Hash, or nil.
    def get(table, key)
      r = get_record(table, key)
      return nil unless r

      begin
        r.to_h
      ensure
        r.close
      end
    end

    # Like get, but raises BucketDB::NotFound when there is no such row.
    def fetch(table, key)
      k = key_record(table, key)
      begin
        r = Record.new(self, @n.get(k.native))
      ensure
        k.close
      end
      begin
        r.to_h
      ensure
        r.close
      end
    end

    # The row as a Record (typed accessors), or nil.
    def get_record(table, key)
      k = key_record(table, key)
      begin
        lookup(k)
      ensure
        k.close
      end
    end

    # The row with the primary key a record holds, or nil.
    def lookup(key_record)
      Record.new(self, @n.get(key_record.native))
    rescue NotFound
      nil
    end

    # The row as JSON text, or nil.
    def get_json(table, key)
      @n.getJson(table, BucketDB.json_literal(key))
    rescue NotFound
      nil
    end

    def query(table) = Query.new(self, @n.query(table))

    # The bytes of a managed blob, as a binary String.
    def read_blob(id) = @n.blobRead(id)

    # ---- writes ----------------------------------------------------------------------------

    # A batch. With a block: yields it, commits it at the end and returns the sequence number
    # (an exception drops it).
    def batch
      b = Batch.new(self, @n.batch)
      return b unless block_given?

      begin
        yield b
        b.commit
      ensure
        b.close
      end
    end

    def insert(table, values) = batch { |b| b.insert(table, values) }
    def update(table, values) = batch { |b| b.update(table, values) }
    def patch(table, values) = batch { |b| b.patch(table, values) }
    def delete(table, key) = batch { |b| b.delete(table, key) }

    # ---- maintenance -----------------------------------------------------------------------

    def merge = @n.merge
    def gc = @n.gc
    # "block0", "log" or "blocks", parsed.
    def inspect_storage(what) = JSON.parse(@n.inspectJson(what))
    def stats = JSON.parse(@n.statsJson)

    # Drops a table: its rows, schema versions and indexes are gone from the next read on, and
    # its name is free. SchemaError for an unknown table.
    def drop_table(table)
      @n.dropTable(table.to_s)
      # A table registered later under the name starts again, with fields of its own.
      @tables_lock.synchronize { @tables.delete_if { |(name, _), _| name == table.to_s } }
      nil
    end

    # Drops the index on field: registers the table's next version without it.
    def drop_index(table, field) = @n.dropIndex(table.to_s, field.to_s)

    # Reads and checks every object the database reaches, straight from storage: a Hash with
    # "ok", "objects", "bytes", "rows", "checked" (by kind) and "damaged".
    def verify = JSON.parse(@n.verifyJson)

    # Writes the whole database to the file at path as NDJSON; returns the rows.
    def export_to(path) = @n.exportTo(path.to_s)

    # Reads an export into the database, committing every batch_rows rows (0: one batch); a
    # row whose key exists raises AlreadyExists unless upsert. Returns the rows imported.
    def import_from(path, batch_rows: 0, upsert: false)
      @n.importFrom(path.to_s, batch_rows, upsert ? Native::BDB_IMPORT_UPSERT : 0)
    end

    def refresh
      @n.refresh
      nil
    end

    # Stops every call on the database under way, from any thread (sqlite3_interrupt's way):
    # each raises BucketDB::Interrupted soon, naming the call; calls made afterwards run
    # normally. A commit that raises Interrupted did not land and can be committed again (one
    # that got past its wait may still land and return); a cursor it stops raises again, and
    # its page_token resumes the query. Calls that wait on storage run
    # without the GVL, so other threads run meanwhile; Thread#raise, Thread#kill,
    # Timeout.timeout and Ctrl-C stop them the same way (the thread raises its own exception,
    # and the other calls on the database under way raise Interrupted). Opening cannot be
    # interrupted.
    def interrupt
      @n.interrupt
      nil
    end

    # ---- internals -------------------------------------------------------------------------

    # The extension's handle: batches, queries and cursors make their waiting calls through it
    # (its unblocking function interrupts the database).
    def native = @n

    # Field names and type ids of a table version: [[name, type], ...] in declaration order.
    def layout(doc)
      key = [doc.table, doc.schemaVersion]
      @tables_lock.synchronize do
        @tables[key] ||= Array.new(doc.fieldCount) do |i|
          name = doc.fieldName(i)
          [name.freeze, doc.fieldType(name)].freeze
        end.freeze
      end
    end
  end

  # A document with typed accessors by field name. Getters raise NotFound when the field is
  # null, SchemaError when unknown, TypeMismatch when the value does not convert.
  class Record
    # The SWIG document (for the library's calls).
    attr_reader :native

    def initialize(db, native)
      @db = db
      @native = native
    end

    # Frees the document now (the garbage collector does otherwise).
    def close
      @native.dispose
      nil
    end

    def closed? = @native.isOpen.zero?
    def table = @native.table
    def schema_version = @native.schemaVersion
    def fields = @db.layout(@native).map(&:first)
    def version = @native.version
    def misc = @native.misc
    def commit_time = BucketDB::Record.time(misc)

    # The type of a field as a Symbol (:uint8, :varchar, ...), nil if unknown.
    def type(field) = TYPES[@native.fieldType(field.to_s)]

    def has?(field) = @native.has(field.to_s) == 1
    alias key? has?

    def self.time(ms) = Time.at(ms.div(1000), ms % 1000, :millisecond, in: "UTC")

    # The fields that hold a value.
    def to_h
      layout = @db.layout(@native)
      present = @native.present.bytes
      h = {}
      present.each_with_index do |type, i|
        next if type.zero? || i >= layout.size

        name = layout[i][0]
        h[name] = read(name, type)
      end
      h
    end

    # A field's value, converted by its type; nil when null.
    def [](field)
      name = field.to_s
      t = @native.fieldType(name)
      return read(name, t) if t.positive? && has?(name)

      t.zero? ? @native.getJson(name) : nil # unknown: the library's SchemaError
    end

    # Sets a field from a Ruby value, by its type: nil; true/false; Integer (exact, range
    # checked); Float; Time; String (varchar text, bytes, the id a blob field holds); Blob
    # (new blob content); any JSON-able value for a json field.
    def []=(field, value)
      name = field.to_s
      write(name, @native.fieldType(name), value)
    end

    # Sets every pair of a Hash.
    def update(values)
      values.each { |k, v| self[k] = v }
      self
    end

    # The library's JSON of the record (fields with a value).
    def to_json(*_args) = @native.toJson

    def to_row
      r = @native.toRow
      Row.new(r.version, r.fixed, r.heap)
    end

    def inspect = closed? ? "#<BucketDB::Record (closed)>" : "#<BucketDB::Record #{to_json}>"

    # Typed accessors, straight to the library.
    def get_bool(f) = @native.getBool(f.to_s) == 1
    def get_int(f) = @native.getInt(f.to_s)
    def get_uint(f) = @native.getUint(f.to_s)
    def get_float(f) = @native.getDouble(f.to_s)
    def get_string(f) = @native.getString(f.to_s).force_encoding(Encoding::UTF_8)
    def get_bytes(f) = @native.getBytes(f.to_s)
    def get_time(f) = BucketDB::Record.time(@native.getInt(f.to_s))
    def get_json(f) = @native.getJson(f.to_s)
    def blob_id(f) = @native.getBlobId(f.to_s)

    def set_null(f) = tap { @native.setNull(f.to_s) }
    def set_bool(f, v) = tap { @native.setBool(f.to_s, v ? 1 : 0) }
    def set_int(f, v) = tap { @native.setInt(f.to_s, v) }
    def set_uint(f, v) = tap { @native.setUint(f.to_s, v) }
    def set_float(f, v) = tap { @native.setDouble(f.to_s, v) }
    def set_string(f, v) = tap { @native.setString(f.to_s, v) }
    def set_bytes(f, v) = tap { @native.setBytes(f.to_s, v) }
    def set_json(f, v) = tap { @native.setJson(f.to_s, v) }
    def set_blob(f, v) = tap { @native.setBlob(f.to_s, v) }
    def set_time(f, t) = tap { @native.setInt(f.to_s, (t.to_r * 1000).floor) }

    private

    def read(name, type)
      n = @native
      case type
      when 1, 2, 3, 12 then n.getUint(name)
      when 4, 5, 13, 14 then n.getInt(name)
      when 6 then n.getBool(name) == 1
      when 7, 15 then n.getDouble(name)
      when 8 then BucketDB::Record.time(n.getInt(name))
      when 9 then JSON.parse(n.getString(name).force_encoding(Encoding::UTF_8))
      when 10 then n.getString(name).force_encoding(Encoding::UTF_8)
      when 11 then n.getBlobId(name)
      when 16 then n.getBytes(name)
      else JSON.parse(n.getJson(name)) # a type this binding does not know yet
      end
    end

    def write(name, type, value)
      n = @native
      case value
      when nil then n.setNull(name)
      when true, false then n.setBool(name, value ? 1 : 0)
      when Integer then write_integer(name, type, value)
      when Float
        type == 9 ? n.setJson(name, BucketDB.json_literal(value)) : n.setDouble(name, value)
      when Time then n.setInt(name, (value.to_r * 1000).floor)
      when Blob then n.setBlob(name, value.data)
      when String, Symbol
        s = value.to_s
        case type
        when 16 then n.setBytes(name, s)
        when 9, 11 then n.setJson(name, JSON.generate(s))
        else n.setString(name, s)
        end
      else
        n.setJson(name, type == 9 ? JSON.generate(value) : BucketDB.json_literal(value))
      end
    rescue JSON::GeneratorError, EncodingError => e
      BucketDB.fail!(4, "field '#{name}': #{e.message}")
    end

    # Integers go to the library whole (a json field's as JSON text, checked there).
    def write_integer(name, type, value)
      n = @native
      if type == 9
        n.setJson(name, value.to_s)
      elsif !(INT64_RANGE.cover?(value) || value.between?(0, UINT64_MAX))
        BucketDB.fail!(4, "field '#{name}': #{value} does not fit 64 bits")
      elsif value.negative? || (!UNSIGNED.include?(type) && value <= INT64_RANGE.end)
        n.setInt(name, value)
      else
        n.setUint(name, value)
      end
    end
  end

  # Writes staged for one atomic commit.
  class Batch
    def initialize(db, native)
      @db = db # keeps the database open while the batch is reachable
      @n = native
    end

    def close
      @n.close
      nil
    end

    # Stage an insert (commit raises AlreadyExists if the key is taken), an upsert of a whole
    # row, new values for some fields of a row, or a delete. Values: a Hash or a Record.
    def insert(table, values = nil) = stage(:insert, table, values)
    def update(table, values = nil) = stage(:update, table, values)
    def patch(table, values = nil) = stage(:patch, table, values)

    # Stages the deletion of the row with primary key key (or of a Record's key).
    def delete(table, key = nil)
      if table.is_a?(Record)
        @n.remove(table.native)
      else
        @n.deleteKey(table, BucketDB.json_literal(key))
      end
      self
    end

    def insert_json(table, json) = tap { @n.insertJson(table, json) }
    def update_json(table, json) = tap { @n.updateJson(table, json) }
    def patch_json(table, json) = tap { @n.patchJson(table, json) }

    # Deletes by bucketdb.h's key text (a JSON literal, or text verbatim for a varchar key).
    def delete_key_text(table, text) = tap { @n.deleteKey(table, text) }

    # The last staged operation applies only if the row is at version (0: it must not exist);
    # otherwise commit raises Conflict.
    def expect_version(version) = tap { @n.expectVersion(version) }

    # The last staged operation applies only if its row exists (else commit raises NotFound).
    def expect_exists = tap { @n.expectExists }

    def size = @n.size
    alias length size

    def clear
      @n.clear
      self
    end

    # Writes the batch as one log entry; returns its sequence number (the rows' version).
    def commit = @db.native.commitBatch(@n)

    private

    def stage(op, table, values)
      if table.is_a?(Record)
        @n.public_send(op, table.native)
      else
        r = @db.record(table, values)
        begin
          @n.public_send(op, r.native)
        ensure
          r.close
        end
      end
      self
    end
  end

  # A query on one table; Enumerable over its rows as Hashes (each run reads afresh).
  class Query
    include Enumerable

    def initialize(db, native)
      @db = db
      @n = native
    end

    def close
      @n.close
      nil
    end

    # op: "=", "!=", "<", "<=", ">", ">=", "in" (an Array), "prefix", "isnull", "notnull".
    def where(field, op, value = nil)
      text = %w[isnull notnull].include?(op.to_s) ? "" : BucketDB.json_literal(value)
      @n.where(field.to_s, op.to_s, text)
      self
    end

    # Closes the group of conditions so far: where(a).where(b).or.where(c) is (a AND b) OR c.
    def or = tap { @n.orGroup }
    def order(field, desc: false) = tap { @n.order(field.to_s, desc ? 1 : 0) }
    # A further sort key: rows equal in the keys before are ordered by this one.
    def order_then(field, desc: false) = tap { @n.orderThen(field.to_s, desc ? 1 : 0) }
    def limit(n) = tap { @n.limit(n) }
    def offset(n) = tap { @n.offset(n) }
    def as_of(seq) = tap { @n.asOf(seq) }

    # A Time, or MISC milliseconds.
    def as_of_time(time)
      ms = time.is_a?(Time) ? (time.to_r * 1000).floor : time
      @n.asOfTime(ms)
      self
    end

    def select(*fields)
      return super if block_given? # Enumerable#select

      fields.flatten.each { |f| @n.selectField(f.to_s) }
      self
    end

    # Keyset pagination: continue after the position a cursor's page_token gave, for a query
    # on the same table with the same order (conditions may differ). "" or nil: the beginning.
    def after(token) = tap { @n.after(token&.to_s) }

    def count(*args)
      return super if !args.empty? || block_given?

      @db.native.countQuery(@n)
    end

    # How the query would run (primary-key lookup, index or scan) and the objects it would
    # read at most, as one line.
    def explain = @db.native.explainQuery(@n)

    # Runs the query: a Cursor reading the database as of now.
    def cursor = Cursor.new(@db, @db.native.execQuery(@n))

    def each(&block)
      return enum_for(:each) unless block

      c = cursor
      begin
        c.each(&block)
      ensure
        c.close
      end
      self
    end

    def each_record(&block)
      return enum_for(:each_record) unless block

      c = cursor
      begin
        c.each_record(&block)
      ensure
        c.close
      end
      self
    end
  end

  # The rows of one run of a query; Enumerable over Hashes, read once. Closes itself at the end.
  class Cursor
    include Enumerable

    def initialize(db, native)
      @db = db
      @n = native
      @done = false
      @token = ""
    end

    def close
      unless @done
        begin
          @token = @n.pageToken
        rescue Error => e
          @token_error = e # closing never fails; page_token reports it
        end
      end
      @done = true
      @n.close
      nil
    end

    # Where the rows returned so far end, for the next page's Query#after; still readable
    # once the cursor has closed (at its end, or by close).
    def page_token
      return @n.pageToken unless @done
      raise @token_error if @token_error

      @token
    end

    # The next row as a Record, or nil at the end (or once closed).
    def next_record
      return nil if @done

      d = @db.native.nextDoc(@n)
      return Record.new(@db, d) if d

      close
      nil
    end

    def next_hash
      r = next_record
      return nil unless r

      begin
        r.to_h
      ensure
        r.close
      end
    end

    def each
      return enum_for(:each) unless block_given?

      while (h = next_hash)
        yield h
      end
      self
    end

    # Yields Records (valid after the block too; the garbage collector frees them).
    def each_record
      return enum_for(:each_record) unless block_given?

      while (r = next_record)
        yield r
      end
      self
    end
  end
end
