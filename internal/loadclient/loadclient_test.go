package loadclient

import (
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
	"roteiro2/internal/wine"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	op := func(name string, e error) error { return &socket.Error{Op: name, Err: e} }
	cases := []struct {
		err  error
		want summary.Outcome
	}{
		{nil, summary.Success},
		{op("connect", refusedErrs[0]), summary.Refused},
		{op("recv", resetErrs[0]), summary.Reset},
		{op("send", resetErrs[1]), summary.Reset},
		{op("connect", socket.ErrTimeout), summary.ConnectTimeout},
		{op("recv", socket.ErrTimeout), summary.ReplyTimeout},
		{op("send", socket.TimeoutAfter(time.Second)), summary.ReplyTimeout},
		{&Partial{Got: 10, Err: op("recv", socket.ErrTimeout)}, summary.ReplyTimeout},
		{&Partial{Got: 10, Err: op("recv", resetErrs[0])}, summary.Reset},
		{ErrNoReply, summary.Other},
		{ErrTooLarge, summary.Other},
		{op("connect", syscall.EHOSTUNREACH), summary.Other},
	}
	for _, c := range cases {
		if got := Classify(c.err); got != c.want {
			t.Errorf("Classify(%v) = %s, esperava %s", c.err, got.Key(), c.want.Key())
		}
	}
}

// dialSock é um cliente do pacote socket com prazo, como os dos main.go.
func dialSock(t *testing.T, addr *net.TCPAddr, timeout time.Duration) (*socket.Sock, error) {
	t.Helper()
	s, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.SetTimeout(timeout)
	return s, s.Connect(addr.IP.String(), addr.Port)
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
	closed := ln.Addr().(*net.TCPAddr)
	ln.Close()
	if _, err := dialSock(t, closed, 10*time.Second); Classify(err) != summary.Refused {
		t.Errorf("connect em porta fechada: %v → %s", err, Classify(err).Key())
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
	dial := func(timeout time.Duration) (*socket.Sock, *net.TCPConn) {
		c, err := dialSock(t, ln.Addr().(*net.TCPAddr), timeout)
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
	c, s := dial(50 * time.Millisecond)
	defer s.Close()
	start := time.Now()
	_, err = c.Recv(1)
	if got := Classify(err); got != summary.ReplyTimeout || time.Since(start) < 40*time.Millisecond {
		t.Errorf("recv sem resposta até o prazo: %v em %v → %s", err, time.Since(start), got.Key())
	}

	// Resetado: o servidor fecha com SO_LINGER 0, que manda RST.
	if wine.Detected() {
		// Os sockets do Wine são os do Linux por baixo, e o recv que o Wine
		// faz depois do RST devolve fim de arquivo, não WSAECONNRESET.
		t.Skip("sob o Wine o recv depois de um RST dá EOF, não WSAECONNRESET como no Windows: o job windows do GitHub confere isto")
	}
	c, s = dial(10 * time.Second)
	s.SetLinger(0)
	s.Close()
	if _, err = c.Recv(1); Classify(err) != summary.Reset {
		t.Errorf("recv depois de um RST: %v → %s", err, Classify(err).Key())
	}
}

func TestResetText(t *testing.T) {
	t.Parallel()
	reset := &socket.Error{Op: "recv", Err: resetErrs[0]}
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
	if !errors.Is(&Partial{Err: ErrNoReply}, ErrNoReply) {
		t.Error("Partial deveria desembrulhar")
	}
}
