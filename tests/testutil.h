/* testutil.h: what every cmocka unit test includes. */
#ifndef RP_TESTUTIL_H
#define RP_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reprint.h"

/* Path of ../shared/data (override with RP_SHARED), for tests that read the
 * real corpora and skip when they are absent. */
static inline const char *rp_test_shared(void)
{
    const char *s = getenv("RP_SHARED");
    return s ? s : "../shared";
}
#endif
