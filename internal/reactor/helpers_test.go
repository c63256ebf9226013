package reactor

import (
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// reporter é onde fh denuncia um invariante violado: o *testing.T do teste
// ou, num subprocesso (emfile_test.go), algo que leve a falha até o teste pai.
type reporter interface {
	Errorf(format string, args ...any)
}

// fh é um Handler feito de funções; ele mesmo verifica os invariantes de
// todos os testes: OnOpen primeiro, nada depois de OnClose, OnClose uma vez.
type fh struct {
	t      reporter
	open   func(c *Conn)
	data   func(c *Conn, in []byte)
	close  func(c *Conn, err error)
	mu     sync.Mutex
	states map[*Conn]int // 1 aberta, 2 fechada
}

func (h *fh) state(c *Conn, want, next int, what string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.states == nil {
		h.states = map[*Conn]int{}
	}
	if got := h.states[c]; got != want {
		h.t.Errorf("%s numa conexão em estado %d (esperado %d)", what, got, want)
	}
	h.states[c] = next
}

func (h *fh) OnOpen(c *Conn) {
	h.state(c, 0, 1, "OnOpen")
	if h.open != nil {
		h.open(c)
	}
}

func (h *fh) OnData(c *Conn, in []byte) {
	h.state(c, 1, 1, "OnData")
	if h.data != nil {
		h.data(c, in)
	}
}

func (h *fh) OnClose(c *Conn, err error) {
	h.state(c, 1, 2, "OnClose")
	if h.close != nil {
		h.close(c, err)
	}
}

// startLoop cria um laço escutando numa porta livre do loopback e o roda
// numa goroutine; o Cleanup o para e espera Run voltar.
func startLoop(t testing.TB, h Handler, cfg Config) (*Loop, string) {
	t.Helper()
	cfg.Handler = h
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	port, err := l.Listen("127.0.0.1", 0, 128)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	t.Cleanup(func() {
		l.Stop(0)
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run não voltou 5 s depois de Stop")
		}
	})
	return l, "127.0.0.1:" + strconv.Itoa(port)
}

// onLoop roda f na thread do laço e espera terminar.
func onLoop(t testing.TB, l *Loop, f func()) {
	t.Helper()
	done := make(chan struct{})
	if !l.Post(func() { f(); close(done) }) {
		t.Fatal("Post recusado")
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Post não rodou em 5 s")
	}
}

func dial(t testing.TB, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp4", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return c.(*net.TCPConn)
}

func readAll(t testing.TB, c net.Conn) []byte {
	t.Helper()
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("leitura até EOF: %v (lidos %d bytes)", err, len(b))
	}
	return b
}

func wait(t testing.TB, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s não aconteceu em 10 s", what)
	}
}
