/*
 * retold/error.h - the one list of status codes.
 *
 * Every fallible library call returns an int: RETOLD_OK (0) or one of the
 * negative codes below.  The list is written once, as RETOLD_ERRNO_MAP, and
 * expands into the enum, retold_strerror() and retold_err_name() (the idea
 * of libuv's UV_ERRNO_MAP), so the three can never disagree.
 *
 * Handles that read files (readers, indexes) also keep a detail message with
 * file, line and offset; see retold_reader_errmsg() and friends.
 */
#ifndef RETOLD_ERROR_H
#define RETOLD_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#define RETOLD_ERRNO_MAP(X)                                                   \
    X(OK,        0,   "success")                                              \
    X(NOMEM,    -1,   "out of memory")                                        \
    X(INVAL,    -2,   "invalid argument")                                     \
    X(IO,       -3,   "input/output error")                                   \
    X(PARSE,    -4,   "malformed input")                                      \
    X(TOOBIG,   -5,   "input exceeds a configured limit")                     \
    X(DUPID,    -6,   "duplicate document id")                                \
    X(CORRUPT,  -7,   "corrupt data (checksum or structure)")                 \
    X(VERSION,  -8,   "incompatible format version")                          \
    X(PARAMS,   -9,   "incompatible parameters")                              \
    X(NOTFOUND, -10,  "not found")                                            \
    X(EXISTS,   -11,  "already exists")                                       \
    X(NOSPACE,  -12,  "no space left on device")                              \
    X(BUSY,     -13,  "resource busy")                                        \
    X(ENCODING, -14,  "unsupported text encoding")                            \
    X(EOF,      -15,  "end of input")

typedef enum retold_status {
#define RETOLD__ENUM(name, code, text) RETOLD_##name = code,
    RETOLD_ERRNO_MAP(RETOLD__ENUM)
#undef RETOLD__ENUM
    RETOLD__STATUS_MIN = -15
} retold_status;

/* Human-readable text for a status code; never NULL, static storage. */
const char *retold_strerror(int status);

/* Symbolic name ("RETOLD_PARSE"); never NULL, static storage. */
const char *retold_err_name(int status);

#ifdef __cplusplus
}
#endif
#endif /* RETOLD_ERROR_H */
