// JNI helpers for the Go side. Go cannot call through JNIEnv's function table directly,
// so each JNI call it needs has a small C wrapper here.
#ifndef INFERNET_NKN_BRIDGE_H
#define INFERNET_NKN_BRIDGE_H

#include <jni.h>
#include <stddef.h>

// Throws tech.infernet.nkn.NknException with "CODE|message" (ASCII only).
void nkn_throw(JNIEnv *env, const char *encoded);

// New byte[] holding a copy of len bytes at data; NULL (with OutOfMemoryError pending) on failure.
jbyteArray nkn_new_bytes(JNIEnv *env, const void *data, jsize len);

jsize nkn_length(JNIEnv *env, jarray array);

// Copies array[off, off+len) into dst.
void nkn_get_bytes(JNIEnv *env, jbyteArray array, jsize off, jsize len, void *dst);

// Copies len bytes at src into array[off, off+len).
void nkn_set_bytes(JNIEnv *env, jbyteArray array, jsize off, jsize len, const void *src);

jboolean nkn_exception_pending(JNIEnv *env);

#endif
