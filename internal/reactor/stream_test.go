package reactor

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
	"time"
)

// startStreams roda StartServer(handle) numa porta livre; o Cleanup o para.
func startStreams(t *testing.T, handle func(c *Conn), cfg Config) string {
	t.Helper()
	l, err := StartServer(handle, "127.0.0.1", 0, 128, cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.ServeForever() }()
	t.Cleanup(func() {
		l.Stop(0)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("ServeForever não voltou 5 s depois de Stop")
		}
	})
	return "127.0.0.1:" + strconv.Itoa(l.Port())
}

// Os quatro passos do handle_client, na ordem, cada um retomado pelo laço:
// Read entrega a mensagem, Sleep não acorda antes do prazo, Write+Drain
// entregam a resposta, Close+WaitClosed terminam depois do fim de verdade.
func TestStreamFourSteps(t *testing.T) {
	t.Parallel()
	steps := make(chan string, 8)
	addr := startStreams(t, func(c *Conn) {
		c.Read(1024, func(data []byte, err error) {
			steps <- "read " + string(data)
			start := time.Now()
			c.Sleep(50*time.Millisecond, func() {
				if time.Since(start) < 50*time.Millisecond {
					steps <- "sleep cedo demais"
				}
				c.Write(append([]byte("Processado: "), data...))
				c.Drain(func(err error) {
					steps <- "drain " + errString(err)
					c.Close()
					c.WaitClosed(func(err error) {
						if !c.buried || !c.Replied() {
							steps <- "wait_closed antes do fim"
						}
						steps <- "closed " + errString(err)
					})
				})
			})
		})
	}, Config{})
	c := dial(t, addr)
	c.Write([]byte("ola"))
	if b := readAll(t, c); string(b) != "Processado: ola" {
		t.Errorf("resposta %q", b)
	}
	c.Close()
	for _, want := range []string{"read ola", "drain <nil>", "closed <nil>"} {
		select {
		case got := <-steps:
			if got != want {
				t.Errorf("passo %q; esperava %q", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("o passo %q não aconteceu", want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// Read: com Config.ReadTimeout, o cliente calado termina o Read com
// ErrReadTimeout; o cliente que fecha sem mandar nada, com b"" e erro nil.
// Em ambos a corrotina volta sem fechar, e o laço fecha por ela (o cliente
// vê EOF).
func TestStreamReadEOFTimeoutAndSettle(t *testing.T) {
	t.Parallel()
	got := make(chan error, 2)
	addr := startStreams(t, func(c *Conn) {
		c.Read(1024, func(data []byte, err error) {
			if len(data) != 0 {
				err = errors.New("dados inesperados: " + string(data))
			} else if err == nil {
				err = errors.New("EOF")
			}
			got <- err
		})
	}, Config{ReadTimeout: 100 * time.Millisecond})

	quiet := dial(t, addr)
	if b := readAll(t, quiet); len(b) != 0 {
		t.Errorf("o calado recebeu %q", b)
	}
	if err := <-got; !errors.Is(err, ErrReadTimeout) || err.Error() != "recv: prazo esgotado (100ms)" {
		t.Errorf("calado: Read terminou com %v; esperava o prazo", err)
	}

	eof := dial(t, addr)
	eof.CloseWrite()
	if b := readAll(t, eof); len(b) != 0 {
		t.Errorf("quem fechou a escrita recebeu %q", b)
	}
	if err := <-got; err == nil || err.Error() != "EOF" {
		t.Errorf("fim de arquivo: Read terminou com %v; esperava b\"\" sem erro", err)
	}
}

// Um Sleep pendente sobrevive ao fim da conexão (como o asyncio.sleep, ele
// só depende do relógio): o cliente reseta durante o Sleep, e a corrotina
// ainda acorda; Drain devolve o erro, e WaitClosed roda na hora.
func TestStreamSleepOutlivesConnection(t *testing.T) {
	t.Parallel()
	done := make(chan string, 1)
	addr := startStreams(t, func(c *Conn) {
		c.Read(1024, func(data []byte, err error) {
			c.Sleep(200*time.Millisecond, func() {
				c.Write([]byte("tarde"))
				c.Drain(func(err error) {
					c.Close()
					c.WaitClosed(func(error) { done <- "drain " + errString(err) })
				})
			})
		})
	}, Config{})
	c := dial(t, addr)
	c.Write([]byte("x"))
	time.Sleep(50 * time.Millisecond) // (o servidor já dorme no Sleep)
	c.SetLinger(0)
	c.Close()
	select {
	case got := <-done:
		if got == "drain <nil>" {
			t.Errorf("Drain numa conexão resetada devolveu nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a corrotina não terminou depois do Sleep")
	}
}

// Um cliente que manda muito mais do que a corrotina lê: o que sobra fica
// no buffer até maxBuffered, e então o laço para de ler (não cresce sem
// fim); o Read seguinte entrega o guardado, e o fechamento com espera
// descarta o resto, e o cliente recebe a resposta e EOF.
func TestStreamBuffersThenPauses(t *testing.T) {
	t.Parallel()
	paused := make(chan bool, 1)
	addr := startStreams(t, func(c *Conn) {
		c.Read(10, func(first []byte, err error) {
			c.Sleep(300*time.Millisecond, func() {
				paused <- c.paused && len(c.in) >= maxBuffered
				c.Read(10, func(second []byte, err error) {
					c.Write(append(first, second...))
					c.Drain(func(error) { c.Close() })
				})
			})
		})
	}, Config{})
	c := dial(t, addr)
	msg := bytes.Repeat([]byte("0123456789"), 1<<20/10) // 1 MiB
	go c.Write(msg)
	if b := readAll(t, c); string(b) != "01234567890123456789" {
		t.Errorf("resposta %.40q (%d bytes)", b, len(b))
	}
	if !<-paused {
		t.Error("com 1 MiB chegando e ninguém lendo, o laço devia ter parado de ler ao passar de maxBuffered")
	}
}
