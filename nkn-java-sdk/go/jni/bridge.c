#include "bridge.h"

void nkn_throw(JNIEnv *env, const char *encoded) {
    if ((*env)->ExceptionCheck(env)) {
        return; // keep the first exception: it is the cause
    }
    jclass cls = (*env)->FindClass(env, "tech/infernet/nkn/NknException");
    if (cls == NULL) {
        return; // NoClassDefFoundError is now pending
    }
    (*env)->ThrowNew(env, cls, encoded);
    (*env)->DeleteLocalRef(env, cls);
}

jbyteArray nkn_new_bytes(JNIEnv *env, const void *data, jsize len) {
    jbyteArray array = (*env)->NewByteArray(env, len);
    if (array != NULL && len > 0) {
        (*env)->SetByteArrayRegion(env, array, 0, len, (const jbyte *) data);
    }
    return array;
}

jsize nkn_length(JNIEnv *env, jarray array) {
    return (*env)->GetArrayLength(env, array);
}

void nkn_get_bytes(JNIEnv *env, jbyteArray array, jsize off, jsize len, void *dst) {
    (*env)->GetByteArrayRegion(env, array, off, len, (jbyte *) dst);
}

void nkn_set_bytes(JNIEnv *env, jbyteArray array, jsize off, jsize len, const void *src) {
    (*env)->SetByteArrayRegion(env, array, off, len, (const jbyte *) src);
}

jboolean nkn_exception_pending(JNIEnv *env) {
    return (*env)->ExceptionCheck(env);
}
