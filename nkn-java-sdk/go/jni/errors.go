package main

import (
	"context"
	"errors"
	"strings"

	nkn "github.com/nknorg/nkn-sdk-go"
	"github.com/nknorg/ncp-go"
)

// Stable error codes; NknException.Code in Java lists the same names.
const (
	codeClosed          = "CLOSED"
	codeInvalidArgument = "INVALID_ARGUMENT"
	codeInvalidAddress  = "INVALID_ADDRESS"
	codeMessageTooLarge = "MESSAGE_TOO_LARGE"
	codeTimeout         = "TIMEOUT"
	codeConnectFailed   = "CONNECT_FAILED"
	codeNotAllowed      = "NOT_ALLOWED"
	codeSendFailed      = "SEND_FAILED"
	codeNodeError       = "NODE_ERROR"
	codeInternal        = "INTERNAL"
)

type codedError struct {
	code string
	msg  string
}

func (e *codedError) Error() string { return e.msg }

func newError(code, msg string) error { return &codedError{code: code, msg: msg} }

// classify maps an SDK error to one of the stable codes, keeping NKN's own text.
func classify(err error) (code, msg string) {
	msg = err.Error()
	var coded *codedError
	switch {
	case errors.As(err, &coded):
		return coded.code, msg
	case errors.Is(err, nkn.ErrClosed), errors.Is(err, ncp.ErrSessionClosed):
		return codeClosed, msg
	case errors.Is(err, nkn.ErrMessageOversize):
		return codeMessageTooLarge, msg
	case errors.Is(err, nkn.ErrInvalidDestination), errors.Is(err, nkn.ErrNoDestination),
		errors.Is(err, nkn.ErrInvalidPubkey), errors.Is(err, nkn.ErrInvalidPubkeySize),
		errors.Is(err, nkn.ErrInvalidPubkeyOrName):
		return codeInvalidAddress, msg
	case errors.Is(err, ncp.ErrReadDeadlineExceeded), errors.Is(err, ncp.ErrWriteDeadlineExceeded),
		errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return codeTimeout, msg
	case errors.Is(err, nkn.ErrConnectFailed), errors.Is(err, nkn.ErrCreateClientFailed):
		return codeConnectFailed, msg
	case errors.Is(err, nkn.ErrAddrNotAllowed):
		return codeNotAllowed, msg
	}
	var withCode interface{ Code() int32 }
	if errors.As(err, &withCode) {
		return codeNodeError, msg
	}
	return codeSendFailed, msg
}

// encodeError renders "CODE|message" in printable ASCII, the form NknException parses.
func encodeError(code, msg string) string {
	var b strings.Builder
	b.Grow(len(code) + 1 + len(msg))
	b.WriteString(code)
	b.WriteByte('|')
	for _, r := range msg {
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
