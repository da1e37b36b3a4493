package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// An ncp session has no half-close, so each direction of our streams is framed: a 4-byte
// big-endian length, then that many bytes; a zero length ends the direction. The framing
// is specified in docs/nkn-java-sdk.md so that peers in other languages can speak it.
const (
	frameHeaderBytes = 4
	maxFrameBytes    = 64 << 10
)

var errStreamBroken = errors.New("stream is broken: an earlier write timed out part way through a frame")

type deadlineConn interface {
	io.ReadWriteCloser
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
}

type stream struct {
	conn deadlineConn

	readMu    sync.Mutex
	header    [frameHeaderBytes]byte
	headerN   int // header bytes read so far; survives a read timeout
	remaining int // payload bytes left in the current frame
	inputDone bool
	readBuf   []byte

	writeMu    sync.Mutex
	writeBuf   []byte
	outputDone bool
	broken     bool
}

func newStream(conn deadlineConn) *stream {
	return &stream{conn: conn}
}

func deadline(timeout time.Duration) time.Time {
	if timeout <= 0 {
		return time.Time{}
	}
	return time.Now().Add(timeout)
}

// read returns up to max bytes of the peer's data; io.EOF once the peer ended its direction.
func (s *stream) read(max int, timeout time.Duration) ([]byte, error) {
	s.readMu.Lock()
	defer s.readMu.Unlock()
	if err := s.conn.SetReadDeadline(deadline(timeout)); err != nil {
		return nil, err
	}
	for s.remaining == 0 {
		if s.inputDone {
			return nil, io.EOF
		}
		for s.headerN < frameHeaderBytes {
			n, err := s.conn.Read(s.header[s.headerN:])
			s.headerN += n
			if err != nil {
				return nil, err
			}
		}
		s.headerN = 0
		length := int(binary.BigEndian.Uint32(s.header[:]))
		if length > maxFrameBytes {
			return nil, fmt.Errorf("peer sent a frame of %d bytes, over the limit of %d", length, maxFrameBytes)
		}
		if length == 0 {
			s.inputDone = true
		}
		s.remaining = length
	}
	want := min(max, s.remaining)
	if cap(s.readBuf) < want {
		s.readBuf = make([]byte, min(s.remaining, maxFrameBytes))
	}
	n, err := s.conn.Read(s.readBuf[:want])
	s.remaining -= n
	if n > 0 {
		return s.readBuf[:n], nil
	}
	return nil, err
}

// write sends data as frames; it returns once the session accepted every byte.
func (s *stream) write(data []byte, timeout time.Duration) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.outputDone {
		return newError(codeClosed, "output was already shut down")
	}
	for len(data) > 0 {
		chunk := data[:min(len(data), maxFrameBytes)]
		if err := s.writeFrame(chunk, timeout); err != nil {
			return err
		}
		data = data[len(chunk):]
	}
	return nil
}

// closeWrite ends our direction; the peer reads EOF after the data already written.
func (s *stream) closeWrite(timeout time.Duration) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.outputDone {
		return nil
	}
	if err := s.writeFrame(nil, timeout); err != nil {
		return err
	}
	s.outputDone = true
	return nil
}

func (s *stream) writeFrame(payload []byte, timeout time.Duration) error {
	if s.broken {
		return errStreamBroken
	}
	s.writeBuf = binary.BigEndian.AppendUint32(s.writeBuf[:0], uint32(len(payload)))
	s.writeBuf = append(s.writeBuf, payload...)
	if err := s.conn.SetWriteDeadline(deadline(timeout)); err != nil {
		return err
	}
	n, err := s.conn.Write(s.writeBuf)
	if err != nil && n > 0 {
		s.broken = true
	}
	return err
}

// drainLimit bounds how long close waits for the peer to read what we wrote.
const drainLimit = 5 * time.Second

// lingerer is what close needs of an ncp session beyond deadlineConn.
type lingerer interface {
	SendWindowUsed() uint32
	SetLinger(int32)
	GetContext() context.Context
}

// close ends our direction if still open, waits (bounded) until the peer has read everything we
// wrote or is gone, then closes the session without ncp's own linger.
//
// ncp's Close lingers in a goroutine that polls until every packet is acknowledged; when the
// peer closed first, the acknowledgement never comes and that goroutine polls forever (one leak
// per session, seen in the soak test). Waiting here for the peer's read count instead, then
// closing with linger 0, delivers the same data and leaves nothing behind.
func (s *stream) close(timeout time.Duration) error {
	finErr := s.closeWrite(timeout)
	if session, ok := s.conn.(lingerer); ok {
		limit := drainLimit
		if timeout > 0 && timeout < limit {
			limit = timeout
		}
		deadline := time.Now().Add(limit)
		for session.SendWindowUsed() > 0 && session.GetContext().Err() == nil && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		session.SetLinger(0)
	}
	closeErr := s.conn.Close()
	if closeErr != nil {
		return closeErr
	}
	return finErr
}

func (s *stream) remoteAddress() string {
	if withAddr, ok := s.conn.(interface{ RemoteAddr() net.Addr }); ok && withAddr.RemoteAddr() != nil {
		return withAddr.RemoteAddr().String()
	}
	return ""
}

func isClosedError(err error) bool {
	code, _ := classify(err)
	return code == codeClosed
}
