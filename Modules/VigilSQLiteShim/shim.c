#include "VigilSQLiteShim.h"

// The SQLite that sqlite-nio builds, with its symbols prefixed; linked in through VigilStorage.
extern int sqlite_nio_sqlite3_db_config(void *connection, int op, ...);

enum { VIGIL_SQLITE_DBCONFIG_ENABLE_QPSG = 1007 };

int vigil_sqlite_enable_qpsg(void *connection) {
    int enabled = 0;
    return sqlite_nio_sqlite3_db_config(connection, VIGIL_SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
}
