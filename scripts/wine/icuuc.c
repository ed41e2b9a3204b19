/* Stand-in for Windows' icuuc.dll, which Wine 8.0 lacks.
 *
 * Qt 6.7+'s Qt6Core.dll imports ICU's converter functions (ucnv_*) for legacy text codecs.
 * Here every converter fails to open (U_FILE_ACCESS_ERROR), so Qt falls back to its own
 * codecs; the other imports are never reached and answer 0. The export list is written from
 * Qt6Core.dll's own import table (scripts/windows.py), so a new Qt needs no edit here.
 * Test scaffolding for Wine only: never shipped with Ferry. */
#include <stddef.h>

#define U_FILE_ACCESS_ERROR 4

void *ucnv_open_standin(const char *name, int *error)
{
    (void)name;
    if (error != NULL && *error <= 0)
        *error = U_FILE_ACCESS_ERROR;
    return NULL;
}

size_t icu_zero_standin(void)
{
    return 0;
}
