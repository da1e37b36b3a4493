package main

import "encoding/binary"

// Event records that Java pulls with clientPoll. Each record starts with its type byte;
// integers are big-endian, strings and byte arrays are length-prefixed. NativeEvents.java
// decodes the same layout.
const (
	eventMessage byte = 1 // token i64 (0 = no reply possible), src str16, data bytes32
	eventReply   byte = 2 // request i64, src str16, data bytes32
	eventSent    byte = 3 // request i64
	eventFailed  byte = 4 // request i64, code str16, message str16
	eventState   byte = 5 // connected u16, total u16
)

type record []byte

func (r record) u8(v byte) record   { return append(r, v) }
func (r record) u16(v int) record   { return binary.BigEndian.AppendUint16(r, uint16(v)) }
func (r record) i64(v int64) record { return binary.BigEndian.AppendUint64(r, uint64(v)) }

func (r record) str16(s string) record {
	if len(s) > 0xffff {
		s = s[:0xffff]
	}
	return append(r.u16(len(s)), s...)
}

func (r record) bytes32(b []byte) record {
	return append(binary.BigEndian.AppendUint32(r, uint32(len(b))), b...)
}

func messageRecord(token int64, src string, data []byte) record {
	return make(record, 0, 15+len(src)+len(data)).u8(eventMessage).i64(token).str16(src).bytes32(data)
}

func replyRecord(request int64, src string, data []byte) record {
	return make(record, 0, 15+len(src)+len(data)).u8(eventReply).i64(request).str16(src).bytes32(data)
}

func sentRecord(request int64) record {
	return make(record, 0, 9).u8(eventSent).i64(request)
}

func failedRecord(request int64, err error) record {
	code, msg := classify(err)
	return make(record, 0, 13+len(code)+len(msg)).u8(eventFailed).i64(request).str16(code).str16(msg)
}

func stateRecord(connected, total int) record {
	return make(record, 0, 5).u8(eventState).u16(connected).u16(total)
}
