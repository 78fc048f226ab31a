/* error.c - status code text, generated from RETOLD_ERRNO_MAP. */
#include "retold/error.h"

const char *retold_strerror(int status)
{
    switch (status) {
#define RETOLD__TEXT(name, code, text) case code: return text;
    RETOLD_ERRNO_MAP(RETOLD__TEXT)
#undef RETOLD__TEXT
    default: return "unknown error";
    }
}

const char *retold_err_name(int status)
{
    switch (status) {
#define RETOLD__NAME(name, code, text) case code: return "RETOLD_" #name;
    RETOLD_ERRNO_MAP(RETOLD__NAME)
#undef RETOLD__NAME
    default: return "RETOLD_UNKNOWN";
    }
}
