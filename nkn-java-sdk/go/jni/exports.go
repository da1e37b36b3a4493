package main

/*
#cgo CFLAGS: -O2 -Wall
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
	"unsafe"

	nkn "github.com/nknorg/nkn-sdk-go"
)

// The JNI entry points of tech.infernet.nkn.NativeNkn. Every one recovers from panics
// (a Go panic would abort the JVM) and reports errors as NknException. Byte arrays are
// copied at the boundary; Go keeps no Java references beyond a call.

func goBytes(env *C.JNIEnv, array C.jbyteArray) []byte {
	if array == 0 {
		return nil
	}
	n := C.nkn_length(env, C.jarray(array))
	b := make([]byte, int(n))
	if n > 0 {
		C.nkn_get_bytes(env, array, 0, n, unsafe.Pointer(&b[0]))
	}
	return b
}

func goString(env *C.JNIEnv, array C.jbyteArray) string {
	return string(goBytes(env, array))
}

func goLines(env *C.JNIEnv, array C.jbyteArray) []string {
	s := goString(env, array)
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func javaBytes(env *C.JNIEnv, b []byte) C.jbyteArray {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	return C.nkn_new_bytes(env, p, C.jsize(len(b)))
}

func throw(env *C.JNIEnv, err error) {
	code, msg := classify(err)
	encoded := C.CString(encodeError(code, msg))
	defer C.free(unsafe.Pointer(encoded))
	C.nkn_throw(env, encoded)
}

// guard is deferred by every entry point.
func guard(env *C.JNIEnv) {
	if r := recover(); r != nil {
		throw(env, newError(codeInternal, fmt.Sprintf("native panic: %v", r)))
	}
}

func millis(ms C.jint) time.Duration { return time.Duration(ms) * time.Millisecond }

func lookupClient(id C.jlong) (*client, error) {
	if v, ok := handles.get(int64(id)); ok {
		if c, ok := v.(*client); ok {
			return c, nil
		}
	}
	return nil, newError(codeClosed, "client is closed")
}

func lookupStream(id C.jlong) (*stream, error) {
	if v, ok := handles.get(int64(id)); ok {
		if s, ok := v.(*stream); ok {
			return s, nil
		}
	}
	return nil, newError(codeClosed, "session is closed")
}

//export Java_tech_infernet_nkn_NativeNkn_publicKey
func Java_tech_infernet_nkn_NativeNkn_publicKey(env *C.JNIEnv, _ C.jclass, seed C.jbyteArray) C.jbyteArray {
	defer guard(env)
	account, err := nkn.NewAccount(goBytes(env, seed))
	if err != nil {
		throw(env, newError(codeInvalidArgument, "invalid seed: "+err.Error()))
		return 0
	}
	return javaBytes(env, account.PubKey())
}

//export Java_tech_infernet_nkn_NativeNkn_clientOpen
func Java_tech_infernet_nkn_NativeNkn_clientOpen(env *C.JNIEnv, _ C.jclass, seed, optionsJSON C.jbyteArray) C.jlong {
	defer guard(env)
	var opts clientOptions
	if err := json.Unmarshal(goBytes(env, optionsJSON), &opts); err != nil {
		throw(env, newError(codeInvalidArgument, "bad client options: "+err.Error()))
		return 0
	}
	c, err := openClient(goBytes(env, seed), opts)
	if err != nil {
		throw(env, err)
		return 0
	}
	return C.jlong(handles.put(c))
}

//export Java_tech_infernet_nkn_NativeNkn_clientAddress
func Java_tech_infernet_nkn_NativeNkn_clientAddress(env *C.JNIEnv, _ C.jclass, id C.jlong) C.jbyteArray {
	defer guard(env)
	c, err := lookupClient(id)
	if err != nil {
		throw(env, err)
		return 0
	}
	return javaBytes(env, []byte(c.mc.Address()))
}

//export Java_tech_infernet_nkn_NativeNkn_clientSend
func Java_tech_infernet_nkn_NativeNkn_clientSend(env *C.JNIEnv, _ C.jclass, id C.jlong, dests, data C.jbyteArray, request C.jlong, wantReply C.jboolean, replyTimeoutMs C.jint) {
	defer guard(env)
	c, err := lookupClient(id)
	if err == nil {
		err = c.send(goLines(env, dests), goBytes(env, data), int64(request), wantReply != 0, millis(replyTimeoutMs))
	}
	if err != nil {
		throw(env, err)
	}
}

//export Java_tech_infernet_nkn_NativeNkn_clientSendAndWait
func Java_tech_infernet_nkn_NativeNkn_clientSendAndWait(env *C.JNIEnv, _ C.jclass, id C.jlong, dests, data C.jbyteArray, replyTimeoutMs C.jint) C.jbyteArray {
	defer guard(env)
	c, err := lookupClient(id)
	var src string
	var reply []byte
	if err == nil {
		src, reply, err = c.sendAndWait(goLines(env, dests), goBytes(env, data), millis(replyTimeoutMs))
	}
	if err != nil {
		throw(env, err)
		return 0
	}
	return javaBytes(env, record(nil).str16(src).bytes32(reply))
}

//export Java_tech_infernet_nkn_NativeNkn_clientReply
func Java_tech_infernet_nkn_NativeNkn_clientReply(env *C.JNIEnv, _ C.jclass, id, token C.jlong, data C.jbyteArray, request C.jlong) {
	defer guard(env)
	c, err := lookupClient(id)
	if err == nil {
		err = c.reply(int64(token), goBytes(env, data), int64(request))
	}
	if err != nil {
		throw(env, err)
	}
}

//export Java_tech_infernet_nkn_NativeNkn_clientPoll
func Java_tech_infernet_nkn_NativeNkn_clientPoll(env *C.JNIEnv, _ C.jclass, id C.jlong, timeoutMs, maxBytes C.jint) C.jbyteArray {
	defer guard(env)
	c, err := lookupClient(id)
	var batch []byte
	if err == nil {
		batch, err = c.poll(millis(timeoutMs), int(maxBytes))
	}
	if err != nil {
		throw(env, err)
		return 0
	}
	if batch == nil {
		return 0
	}
	return javaBytes(env, batch)
}

//export Java_tech_infernet_nkn_NativeNkn_clientClose
func Java_tech_infernet_nkn_NativeNkn_clientClose(env *C.JNIEnv, _ C.jclass, id C.jlong) {
	defer guard(env)
	v, ok := handles.remove(int64(id))
	if !ok {
		return // closing twice is harmless
	}
	if c, ok := v.(*client); ok {
		if err := c.close(); err != nil {
			throw(env, err)
		}
	}
}

//export Java_tech_infernet_nkn_NativeNkn_clientListen
func Java_tech_infernet_nkn_NativeNkn_clientListen(env *C.JNIEnv, _ C.jclass, id C.jlong, patterns C.jbyteArray) {
	defer guard(env)
	c, err := lookupClient(id)
	if err == nil {
		err = c.listen(goLines(env, patterns))
	}
	if err != nil {
		throw(env, err)
	}
}

//export Java_tech_infernet_nkn_NativeNkn_clientAccept
func Java_tech_infernet_nkn_NativeNkn_clientAccept(env *C.JNIEnv, _ C.jclass, id C.jlong, timeoutMs C.jint) C.jlong {
	defer guard(env)
	c, err := lookupClient(id)
	if err != nil {
		throw(env, err)
		return 0
	}
	session, err := c.accept(millis(timeoutMs))
	if err != nil {
		throw(env, err)
		return 0
	}
	if session == nil {
		return 0
	}
	return C.jlong(handles.put(newStream(session)))
}

//export Java_tech_infernet_nkn_NativeNkn_clientDial
func Java_tech_infernet_nkn_NativeNkn_clientDial(env *C.JNIEnv, _ C.jclass, id C.jlong, address C.jbyteArray, timeoutMs C.jint) C.jlong {
	defer guard(env)
	c, err := lookupClient(id)
	if err != nil {
		throw(env, err)
		return 0
	}
	session, err := c.dial(goString(env, address), millis(timeoutMs))
	if err != nil {
		throw(env, err)
		return 0
	}
	return C.jlong(handles.put(newStream(session)))
}

//export Java_tech_infernet_nkn_NativeNkn_clientSubscribe
func Java_tech_infernet_nkn_NativeNkn_clientSubscribe(env *C.JNIEnv, _ C.jclass, id C.jlong, identifier, topic C.jbyteArray, durationBlocks C.jint, meta C.jbyteArray) C.jbyteArray {
	defer guard(env)
	c, err := lookupClient(id)
	var hash string
	if err == nil {
		hash, err = c.subscribe(goString(env, identifier), goString(env, topic), int(durationBlocks), goString(env, meta))
	}
	if err != nil {
		throw(env, err)
		return 0
	}
	return javaBytes(env, []byte(hash))
}

//export Java_tech_infernet_nkn_NativeNkn_clientSubscribers
func Java_tech_infernet_nkn_NativeNkn_clientSubscribers(env *C.JNIEnv, _ C.jclass, id C.jlong, topic C.jbyteArray, limit C.jint, txPool C.jboolean) C.jbyteArray {
	defer guard(env)
	c, err := lookupClient(id)
	var found map[string]string
	if err == nil {
		found, err = c.subscribers(goString(env, topic), int(limit), txPool != 0)
	}
	if err != nil {
		throw(env, err)
		return 0
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(len(found)))
	for addr, meta := range found {
		out = record(out).str16(addr).bytes32([]byte(meta))
	}
	return javaBytes(env, out)
}

//export Java_tech_infernet_nkn_NativeNkn_sessionRead
func Java_tech_infernet_nkn_NativeNkn_sessionRead(env *C.JNIEnv, _ C.jclass, id C.jlong, buf C.jbyteArray, off, length, timeoutMs C.jint) C.jint {
	defer guard(env)
	s, err := lookupStream(id)
	if err != nil {
		throw(env, err)
		return 0
	}
	data, err := s.read(int(length), millis(timeoutMs))
	if errors.Is(err, io.EOF) {
		return -1
	}
	if err != nil {
		throw(env, err)
		return 0
	}
	if len(data) > 0 {
		C.nkn_set_bytes(env, buf, off, C.jsize(len(data)), unsafe.Pointer(&data[0]))
	}
	return C.jint(len(data))
}

//export Java_tech_infernet_nkn_NativeNkn_sessionWrite
func Java_tech_infernet_nkn_NativeNkn_sessionWrite(env *C.JNIEnv, _ C.jclass, id C.jlong, buf C.jbyteArray, off, length, timeoutMs C.jint) {
	defer guard(env)
	s, err := lookupStream(id)
	if err == nil && length > 0 {
		data := make([]byte, int(length))
		C.nkn_get_bytes(env, buf, off, length, unsafe.Pointer(&data[0]))
		err = s.write(data, millis(timeoutMs))
	}
	if err != nil {
		throw(env, err)
	}
}

//export Java_tech_infernet_nkn_NativeNkn_sessionCloseWrite
func Java_tech_infernet_nkn_NativeNkn_sessionCloseWrite(env *C.JNIEnv, _ C.jclass, id C.jlong, timeoutMs C.jint) {
	defer guard(env)
	s, err := lookupStream(id)
	if err == nil {
		err = s.closeWrite(millis(timeoutMs))
	}
	if err != nil {
		throw(env, err)
	}
}

//export Java_tech_infernet_nkn_NativeNkn_sessionClose
func Java_tech_infernet_nkn_NativeNkn_sessionClose(env *C.JNIEnv, _ C.jclass, id C.jlong, timeoutMs C.jint) {
	defer guard(env)
	v, ok := handles.remove(int64(id))
	if !ok {
		return // closing twice is harmless
	}
	if s, ok := v.(*stream); ok {
		if err := s.close(millis(timeoutMs)); err != nil && !isClosedError(err) {
			throw(env, err)
		}
	}
}

//export Java_tech_infernet_nkn_NativeNkn_sessionRemoteAddress
func Java_tech_infernet_nkn_NativeNkn_sessionRemoteAddress(env *C.JNIEnv, _ C.jclass, id C.jlong) C.jbyteArray {
	defer guard(env)
	s, err := lookupStream(id)
	if err != nil {
		throw(env, err)
		return 0
	}
	return javaBytes(env, []byte(s.remoteAddress()))
}

//export Java_tech_infernet_nkn_NativeNkn_liveHandles
func Java_tech_infernet_nkn_NativeNkn_liveHandles(env *C.JNIEnv, _ C.jclass) C.jint {
	return C.jint(handles.size())
}

//export Java_tech_infernet_nkn_NativeNkn_goroutines
func Java_tech_infernet_nkn_NativeNkn_goroutines(env *C.JNIEnv, _ C.jclass) C.jint {
	return C.jint(runtime.NumGoroutine())
}

//export Java_tech_infernet_nkn_NativeNkn_goroutineDump
func Java_tech_infernet_nkn_NativeNkn_goroutineDump(env *C.JNIEnv, _ C.jclass) C.jbyteArray {
	defer guard(env)
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return javaBytes(env, buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

//export Java_tech_infernet_nkn_NativeNkn_version
func Java_tech_infernet_nkn_NativeNkn_version(env *C.JNIEnv, _ C.jclass) C.jbyteArray {
	defer guard(env)
	sdk := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/nknorg/nkn-sdk-go" {
				sdk = dep.Version
			}
		}
	}
	return javaBytes(env, []byte("nkn-sdk-go "+sdk+"; "+runtime.Version()))
}

func main() {}
