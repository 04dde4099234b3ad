"""A todo list on BucketDB, from Python. The same app exists in examples/go, java and ruby;
any of them can work on the same list.

    python3 todo.py [--db URI] add TEXT...   add an item
    python3 todo.py [--db URI] list          list the items
    python3 todo.py [--db URI] done ID       mark an item done
    python3 todo.py [--db URI] remove ID     remove an item

URI defaults to file:./todo-db. Needs the bucketdb package: pip install the wheel
(share/bucketdb/bucketdb-*.whl of an install), or PYTHONPATH=build/bindings/python/pkg.
"""

import datetime
import sys

import bucketdb

TODOS = {
    "name": "todos", "version": 1, "primaryKey": "id",
    "fields": {"id": {"typeId": 3}, "title": {"typeId": 10, "maxLength": 200},
               "done": {"typeId": 6}, "created": {"typeId": 8}},
}
COUNTERS = {
    "name": "counters", "version": 1, "primaryKey": "name",
    "fields": {"name": {"typeId": 10, "maxLength": 40}, "value": {"typeId": 3}},
}


def add(db, title):
    """Takes the next id from a counter row and inserts the item in the same batch. The counter
    update expects the version it read, so two processes adding at once never get the same id:
    the loser's commit raises Conflict and it tries again."""
    while True:
        counter = db.get_record("counters", "todos")
        next_id = counter["value"] + 1 if counter else 1
        try:
            with db.batch() as b:
                b.update("counters", {"name": "todos", "value": next_id})
                b.expect_version(counter.version if counter else 0)
                b.insert("todos", {"id": next_id, "title": title, "done": False,
                                   "created": datetime.datetime.now(datetime.timezone.utc)})
            return next_id
        except bucketdb.Conflict:
            continue


def main(argv):
    uri = "file:./todo-db"
    if argv[:1] == ["--db"]:
        uri, argv = argv[1], argv[2:]
    if not argv:
        sys.exit("usage: todo.py [--db URI] add TEXT... | list | done ID | remove ID")
    command, args = argv[0], argv[1:]
    # read_staleness_ms=0 sees what other processes wrote a moment ago.
    with bucketdb.open(uri, read_staleness_ms=0, log_level="warn") as db:
        db.register_schema(TODOS)  # a no-op once registered
        db.register_schema(COUNTERS)
        if command == "add":
            print(f"added #{add(db, ' '.join(args))}")
        elif command == "list":
            for t in db.query("todos").order("id"):
                print(f"[{'x' if t['done'] else ' '}] #{t['id']} {t['title']}")
        elif command in ("done", "remove"):
            if len(args) != 1:
                sys.exit(f"{command} takes one ID")
            item = int(args[0])
            db.fetch("todos", item)  # raises bucketdb.NotFound: "no row in todos with id = 7"
            if command == "done":
                db.patch("todos", {"id": item, "done": True})
            else:
                db.delete("todos", item)
        else:
            sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except bucketdb.Error as e:
        print(f"todo: {e}", file=sys.stderr)
        sys.exit(1)
