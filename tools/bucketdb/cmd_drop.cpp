// drop table NAME, drop index TABLE FIELD.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"

namespace bdbcli {

void add_drop_commands(CLI::App &app, Commands &commands) {
  CLI::App *drop = app.add_subcommand("drop", "Drop a table or an index");
  drop->require_subcommand(1);

  auto table = std::make_shared<std::string>();
  CLI::App *t = drop->add_subcommand(
      "table",
      "Drop a table: its rows and schema versions are gone and its name is free; its objects "
      "stay for history (--as-of) until gcGraceMs after the next merge");
  t->add_option("NAME", *table, "Table name")->required();
  commands.on(t, [table](const GlobalOptions &g) {
    Db db = open_database(g, Access::kWrite);
    check(bdb_table_drop(db.get(), table->c_str()));
  });

  auto ix_table = std::make_shared<std::string>(), ix_field = std::make_shared<std::string>();
  CLI::App *ix = drop->add_subcommand(
      "index", "Drop the index on FIELD: registers the table's next schema version without it");
  ix->add_option("TABLE", *ix_table, "Table name")->required();
  ix->add_option("FIELD", *ix_field, "The indexed field")->required();
  commands.on(ix, [ix_table, ix_field](const GlobalOptions &g) {
    Db db = open_database(g, Access::kWrite);
    check(bdb_index_drop(db.get(), ix_table->c_str(), ix_field->c_str()));
  });
}

}  // namespace bdbcli
