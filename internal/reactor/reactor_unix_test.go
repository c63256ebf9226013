//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Cliente que reseta (SO_LINGER 0) com saída pendente: o write falha com
// EPIPE/ECONNRESET, a conexão fecha com esse erro, o processo segue.
func TestResetClosesWithError(t *testing.T) {
	t.Parallel()
	closed := make(chan error, 1)
	opened := make(chan struct{})
	h := &fh{t: t,
		open:  func(c *Conn) { c.Write(make([]byte, 8<<20)); close(opened) },
		close: func(c *Conn, err error) { closed <- err },
	}
	_, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	wait(t, opened, "OnOpen")
	c.SetLinger(0)
	c.Close()
	select {
	case err := <-closed:
		if !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("OnClose(%v), esperado EPIPE ou ECONNRESET", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnClose não veio")
	}
}

// Write que falha (EPIPE: aqui, escrita já desligada no próprio socket)
// devolve o erro, fecha a conexão com ele, e escritas seguintes dão ErrClosed.
func TestWriteErrorClosesConn(t *testing.T) {
	t.Parallel()
	errs := make(chan error, 1)
	var werr, again error
	h := &fh{t: t, open: func(c *Conn) {
		unix.Shutdown(c.fd, unix.SHUT_WR)
		werr = c.Write([]byte("resposta"))
		again = c.Write([]byte("mais"))
	}, close: func(c *Conn, err error) { errs <- err }}
	_, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	defer c.Close()
	select {
	case err := <-errs:
		if !errors.Is(err, syscall.EPIPE) || !errors.Is(werr, syscall.EPIPE) || again != ErrClosed {
			t.Errorf("OnClose(%v), Write=%v e depois %v; esperado EPIPE, EPIPE, ErrClosed", err, werr, again)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnClose não veio")
	}
}

// Os descritores abertos antes e depois de 1.000 conexões (normais e
// resetadas) são os mesmos.
func TestNoDescriptorLeak(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("contagem por /proc/self/fd só no Linux")
	}
	before := fdCount(t)
	h := &fh{t: t, data: func(c *Conn, in []byte) {
		c.Write(in)
		c.Close()
	}}
	l, err := New(Config{Handler: h})
	if err != nil {
		t.Fatal(err)
	}
	port, _ := l.Listen("127.0.0.1", 0, 128)
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	var wg sync.WaitGroup
	for w := 0; w < 10; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				c := dial(t, addr)
				if (w+i)%2 == 0 {
					c.SetLinger(0) // reseta sem ler a resposta
					c.Close()
					continue
				}
				c.Write([]byte("x"))
				readAll(t, c)
				c.Close()
			}
		}(w)
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	// Quem reseta não espera o servidor: a última conexão pode ainda estar na
	// fila do kernel quando os clientes acabam. Espera (com prazo) as duas
	// contas, não só Active, que vale 0 também antes desse accept.
	for (l.Accepted() < 1000 || l.Active() > 0) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if l.Accepted() != 1000 || l.Active() != 0 {
		t.Errorf("Accepted=%d Active=%d, esperado 1000 e 0", l.Accepted(), l.Active())
	}
	l.Stop(0)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if after := fdCount(t); after != before {
		t.Errorf("descritores: %d antes, %d depois", before, after)
	}
}

func fdCount(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}
