package loadclient

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/summary"
	"roteiro2/internal/wine"
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

// Os erros de verdade que o sistema devolve, um de cada desfecho, com
// Classify. (O timeout de connect de verdade só dá para provocar no Linux,
// com a fila cheia: loadclient_linux_test.go.)
func TestClassifyRealErrors(t *testing.T) {
	t.Parallel()
	// Recusado: ninguém escuta na porta.
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	_, err = net.DialTimeout("tcp4", closed, 10*time.Second)
	if got := Classify(err, false); got != summary.Refused {
		t.Errorf("dial em porta fechada: %v → %s", err, got.Key())
	}

	// Um servidor que aceita e: espera (calado) ou derruba com RST.
	ln, err = net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan *net.TCPConn, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c.(*net.TCPConn)
		}
	}()
	dial := func() (net.Conn, *net.TCPConn) {
		c, err := net.DialTimeout("tcp4", ln.Addr().String(), 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case s := <-accepted:
			return c, s
		case <-time.After(10 * time.Second):
			t.Fatal("o servidor não aceitou em 10 s")
		}
		return nil, nil
	}

	// Prazo da resposta: o servidor fica calado.
	c, s := dial()
	defer s.Close()
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = c.Read(make([]byte, 1))
	c.Close()
	if got := Classify(err, true); got != summary.ReplyTimeout {
		t.Errorf("read sem resposta até o prazo: %v → %s", err, got.Key())
	}

	// Resetado: o servidor fecha com SO_LINGER 0, que manda RST.
	if wine.Detected() {
		// Os sockets do Wine são os do Linux por baixo, e o recv que o Wine
		// faz depois do RST devolve fim de arquivo, não WSAECONNRESET.
		t.Skip("sob o Wine o read depois de um RST dá EOF, não WSAECONNRESET como no Windows: o job windows do GitHub confere isto")
	}
	c, s = dial()
	defer c.Close()
	s.SetLinger(0)
	s.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Read(make([]byte, 1))
	if got := Classify(err, true); got != summary.Reset {
		t.Errorf("read depois de um RST: %v → %s", err, got.Key())
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

func TestResetText(t *testing.T) {
	t.Parallel()
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", resetErrs[0])}
	afterReply := ResetText(&Partial{Got: 21, Head: []byte("Atendido com sucesso."), Err: reset}, true)
	for _, want := range []string{"chegaram 21 bytes (Atendido com sucesso.)", "RST, não em FIN",
		"sem ter lido tudo o que recebeu"} {
		if !strings.Contains(afterReply, want) {
			t.Errorf("ResetText depois da resposta não diz %q: %s", want, afterReply)
		}
	}
	noReply := ResetText(reset, false)
	if !strings.Contains(noReply, "sem responder") || strings.Contains(noReply, "chegaram") ||
		strings.Contains(noReply, "sem ter lido") {
		t.Errorf("ResetText sem resposta e sem tarefa enviada: %s", noReply)
	}
}
