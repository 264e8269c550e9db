#ifndef VIGIL_SQLITE_SHIM_H
#define VIGIL_SQLITE_SHIM_H

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) for a
/// connection. Without it, a statement whose plan looked at a bound value (a range on a time,
/// a LIKE pattern, a partial index) is re-prepared whenever that value changes, which for
/// Vigil's fixed-shape statements is every run. sqlite3_db_config is variadic, which Swift
/// cannot call, hence this shim. Returns SQLite's result code.
int vigil_sqlite_enable_qpsg(void *connection);

#endif
