package loadclient

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/summary"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	op := func(e error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", e)}
	}
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	cases := []struct {
		err   error
		gotIn bool
		want  summary.Outcome
	}{
		{nil, true, summary.Success},
		{op(refusedErrs[0]), false, summary.Refused},
		{op(resetErrs[0]), true, summary.Reset},
		{fmt.Errorf("envio: %w", op(resetErrs[1])), true, summary.Reset},
		{timeout, false, summary.ConnectTimeout},
		{timeout, true, summary.ReplyTimeout},
		{&Partial{Got: 10, Err: timeout}, true, summary.ReplyTimeout},
		{&Partial{Got: 10, Err: op(resetErrs[0])}, true, summary.Reset},
		{ErrNoReply, true, summary.Other},
		{ErrTooLarge, true, summary.Other},
		{op(syscall.EHOSTUNREACH), false, summary.Other},
	}
	for _, c := range cases {
		if got := Classify(c.err, c.gotIn); got != c.want {
			t.Errorf("Classify(%v, %v) = %s, esperava %s", c.err, c.gotIn, got.Key(), c.want.Key())
		}
	}
}

// O erro de verdade de um connect recusado e de um prazo de connect.
func TestClassifyRealErrors(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = net.DialTimeout("tcp4", addr, time.Second)
	if got := Classify(err, false); got != summary.Refused {
		t.Errorf("dial em porta fechada: %v → %s", err, got.Key())
	}
	_, err = (&net.Dialer{Timeout: time.Nanosecond}).Dial("tcp4", addr)
	if err != nil && Classify(err, false) != summary.ConnectTimeout && Classify(err, false) != summary.Refused {
		t.Errorf("dial com prazo mínimo: %v → %s", err, Classify(err, false).Key())
	}
}

func TestReplyString(t *testing.T) {
	t.Parallel()
	if got := (Reply{Head: []byte("ok\x00"), Len: 3}).String(); got != `ok\x00` {
		t.Errorf("%q", got)
	}
	if got := (Reply{Head: []byte("abc"), Len: 5000}).String(); got != "abc… (5000 bytes no total)" {
		t.Errorf("%q", got)
	}
	if !errors.Is(&Partial{Err: ErrNoReply}, ErrNoReply) {
		t.Error("Partial deveria desembrulhar")
	}
}
