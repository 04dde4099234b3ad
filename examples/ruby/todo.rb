# frozen_string_literal: true

# A todo list on BucketDB, from Ruby. The same app exists in examples/go and examples/java;
# any of them can work on the same list.
#
#   ruby todo.rb [--db URI] add TEXT...   add an item
#   ruby todo.rb [--db URI] list          list the items
#   ruby todo.rb [--db URI] done ID       mark an item done
#   ruby todo.rb [--db URI] remove ID     remove an item
#
# URI defaults to file:./todo-db. Needs the extension and lib/ on the load path:
#   ruby -I build/bindings/ruby/ext -I bindings/ruby/lib todo.rb list
require "bucketdb"

TODOS = {
  name: "todos", version: 1, primaryKey: "id",
  fields: { id: { typeId: 3 }, title: { typeId: 10, maxLength: 200 },
            done: { typeId: 6 }, created: { typeId: 8 } }
}.freeze
COUNTERS = {
  name: "counters", version: 1, primaryKey: "name",
  fields: { name: { typeId: 10, maxLength: 40 }, value: { typeId: 3 } }
}.freeze

# Takes the next id from a counter row and inserts the item in the same batch. The counter
# update expects the version it read, so two processes adding at once never get the same id:
# the loser's commit raises Conflict and it tries again.
def add(db, title)
  counter = db.get_record("counters", "todos")
  next_id = counter ? counter["value"] + 1 : 1
  db.batch do |b|
    b.update("counters", "name" => "todos", "value" => next_id)
    b.expect_version(counter ? counter.version : 0)
    b.insert("todos", "id" => next_id, "title" => title, "done" => false, "created" => Time.now)
  end
  next_id
rescue BucketDB::Conflict
  retry
end

uri = "file:./todo-db"
if ARGV.first == "--db"
  ARGV.shift
  uri = ARGV.shift
end
command, *args = ARGV
abort "usage: todo.rb [--db URI] add TEXT... | list | done ID | remove ID" unless command

begin
  # read_staleness_ms: 0 sees what other processes wrote a moment ago.
  BucketDB.open(uri, read_staleness_ms: 0, log_level: "warn") do |db|
    db.register_schema(TODOS) # a no-op once registered
    db.register_schema(COUNTERS)
    case command
    when "add"
      puts "added ##{add(db, args.join(' '))}"
    when "list"
      db.query("todos").order("id").each do |t|
        puts "[#{t['done'] ? 'x' : ' '}] ##{t['id']} #{t['title']}"
      end
    when "done", "remove"
      abort "#{command} takes one ID" unless args.size == 1
      id = Integer(args.first)
      db.fetch("todos", id) # raises BucketDB::NotFound: "no row in todos with id = 7"
      command == "done" ? db.patch("todos", "id" => id, "done" => true) : db.delete("todos", id)
    else
      abort "unknown command #{command}"
    end
  end
rescue BucketDB::Error => e
  warn "todo: #{e.message}"
  exit 1
end
