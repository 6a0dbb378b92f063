/*
 * err.c: the error list. One X-macro in reprint.h builds both the enum and
 * the strings here, so a new code cannot be added without its message.
 */
#include "reprint.h"

#define RP_ERR_STR_(name, msg) msg,
static const char *const messages[] = {RP_ERRORS(RP_ERR_STR_)};
#undef RP_ERR_STR_

const char *rp_strerror(rp_err e)
{
    if ((int)e < 0 || e >= RP_ERR_COUNT_) return "unknown error";
    return messages[e];
}
