package main

import (
	"bytes"
	"crypto/rand"
	"io"
	"net"
	"testing"
	"time"
)

func pipeStreams() (*stream, *stream) {
	a, b := net.Pipe()
	return newStream(a), newStream(b)
}

func readAll(s *stream) ([]byte, error) {
	var out bytes.Buffer
	for {
		chunk, err := s.read(7000, time.Second)
		if err == io.EOF {
			return out.Bytes(), nil
		}
		if err != nil {
			return out.Bytes(), err
		}
		out.Write(chunk)
	}
}

func TestDataLargerThanOneFrameArrivesIntactThenEOF(t *testing.T) {
	writer, reader := pipeStreams()
	data := make([]byte, 3*maxFrameBytes+17)
	rand.Read(data)
	go func() {
		if err := writer.write(data, time.Second); err != nil {
			t.Errorf("write: %v", err)
		}
		if err := writer.closeWrite(time.Second); err != nil {
			t.Errorf("closeWrite: %v", err)
		}
	}()
	if got, err := readAll(reader); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want %d identical bytes", len(got), len(data))
	}
}

func TestHalfClosedSideCanStillReadTheAnswer(t *testing.T) {
	client, server := pipeStreams()
	go func() {
		request, _ := readAll(server)
		server.write(append([]byte("echo:"), request...), time.Second)
		server.closeWrite(time.Second)
	}()
	go func() {
		client.write([]byte("ping"), time.Second)
		client.closeWrite(time.Second)
	}()
	if got, err := readAll(client); err != nil || string(got) != "echo:ping" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestWriteAfterCloseWriteIsRefused(t *testing.T) {
	writer, reader := pipeStreams()
	go readAll(reader)
	if err := writer.closeWrite(time.Second); err != nil {
		t.Fatal(err)
	}
	if err := writer.write([]byte("late"), time.Second); err == nil {
		t.Fatal("write after closeWrite succeeded")
	}
}

func TestReadTimeoutKeepsAPartialHeader(t *testing.T) {
	a, b := net.Pipe()
	reader := newStream(b)
	go a.Write([]byte{0, 0})
	if _, err := reader.read(10, 50*time.Millisecond); err == nil {
		t.Fatal("expected a timeout with half a header")
	}
	go a.Write([]byte{0, 3, 'a', 'b', 'c'})
	got, err := reader.read(10, time.Second)
	if err != nil || string(got) != "abc" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestOversizedFrameFromPeerIsAnError(t *testing.T) {
	a, b := net.Pipe()
	reader := newStream(b)
	go a.Write([]byte{0xff, 0xff, 0xff, 0xff})
	if _, err := reader.read(10, time.Second); err == nil {
		t.Fatal("expected an error for an oversized frame")
	}
}
