package tracking

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"roteiro2/internal/socket"
)

// pair devolve o cliente (net.Conn) e a conexão aceita por um socket de
// escuta acompanhado por s (sem sinais: New não é chamado nos testes).
func pair(t *testing.T, s *Server) (net.Conn, *socket.Sock) {
	t.Helper()
	ln, port, err := socket.CreateServer("127.0.0.1", 0, 16)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	if s != nil {
		s.Watch(ln)
	}
	c, err := net.DialTimeout("tcp4", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	conn, _, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return c, conn
}

// newServer é um Server sem os sinais (New instalaria o tratamento de
// SIGINT no processo de teste).
func newServer(cfg Config) *Server {
	return &Server{cfg: cfg, conns: make(map[Conn]bool), stop: make(chan struct{})}
}

// Fechamento com espera: o cliente mandou 64 KiB e o servidor leu só 1024;
// mesmo assim o cliente recebe a resposta inteira e fim de arquivo, não RST.
func TestLingerBigRequest(t *testing.T) {
	t.Parallel()
	client, conn := pair(t, nil)
	big := bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16)
	go client.Write(big)
	msg, err := conn.Recv(1024)
	if err != nil || len(msg) == 0 {
		t.Fatalf("Recv: %d bytes, %v", len(msg), err)
	}
	reply := append([]byte("Processado: "), msg...)
	if err := conn.SendAll(reply); err != nil {
		t.Fatal(err)
	}
	lingered := make(chan struct{})
	go func() { Linger(conn); close(lingered) }()
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(client)
	if err != nil || !bytes.Equal(got, reply) {
		t.Errorf("o cliente leu %d bytes (%v); esperava os %d da resposta e fim de arquivo", len(got), err, len(reply))
	}
	client.Close()
	select {
	case <-lingered:
	case <-time.After(5 * time.Second):
		t.Error("Linger não terminou depois que o cliente fechou")
	}
}

// Fechamento com espera com um cliente que nunca fecha: Linger desiste em
// LingerMax.
func TestLingerBounded(t *testing.T) {
	t.Parallel()
	_, conn := pair(t, nil)
	start := time.Now()
	Linger(conn)
	if el := time.Since(start); el < LingerMax-50*time.Millisecond || el > LingerMax+3*time.Second {
		t.Errorf("Linger com cliente que não fecha levou %v; esperava cerca de %v", el, LingerMax)
	}
}

// A conta: cada conexão aceita termina em uma chave só. Respondida conta na
// hora do Close (e continua em andamento até o fim do fechamento com espera);
// sem resposta, falha; aceita no instante do sinal, interrompida.
func TestAccounting(t *testing.T) {
	t.Parallel()
	s := newServer(Config{})
	a, b := &fakeConn{}, &fakeConn{}
	if !s.Opened(a) || !s.Opened(b) {
		t.Fatal("Opened recusou antes da parada")
	}
	a.replied = true
	if !s.Replying(a) || s.served.Load() != 1 || len(s.conns) != 2 {
		t.Errorf("respondida: atendidas=%d, %d em andamento; esperava 1 e 2", s.served.Load(), len(s.conns))
	}
	s.Finished(a)
	s.Finished(b)
	s.Finished(b) // de novo: nada
	if s.served.Load() != 1 || s.failed.Load() != 1 || len(s.conns) != 0 {
		t.Errorf("atendidas=%d falhas=%d abertas=%d; esperava 1 1 0", s.served.Load(), s.failed.Load(), len(s.conns))
	}
	s.stopping = true
	if s.Opened(&fakeConn{}) || s.interrupted.Load() != 1 {
		t.Errorf("aceita durante a parada: devia ser recusada e contada como interrompida (%d)", s.interrupted.Load())
	}
}

type fakeConn struct{ replied bool }

func (c *fakeConn) Replied() bool      { return c.replied }
func (c *fakeConn) Shutdown(int) error { return nil }

// Parando, o accept bloqueado acorda e Accept devolve ErrStopped: pelo
// shutdown(SHUT_RD) no Linux (wakeListener), pela conexão à própria porta nos
// outros sistemas (wakeByConnect, testado aqui em qualquer um). A conexão de
// despertar não é cliente: não conta em nada.
func TestWakeAccept(t *testing.T) {
	t.Parallel()
	for name, wake := range map[string]func(*Server, *socket.Sock){
		"wakeListener": (*Server).wakeListener, "wakeByConnect": (*Server).wakeByConnect,
	} {
		s := newServer(Config{})
		ln, _, err := socket.CreateServer("127.0.0.1", 0, 16)
		if err != nil {
			t.Fatal(err)
		}
		s.Watch(ln)
		done := make(chan error, 1)
		go func() {
			_, _, err := ln.Accept()
			done <- err
		}()
		time.Sleep(50 * time.Millisecond) // (só para o Accept provavelmente já estar dormindo)
		s.mu.Lock()
		s.stopping = true
		s.mu.Unlock()
		wake(s, ln)
		select {
		case err := <-done:
			if !errors.Is(err, ErrStopped) {
				t.Errorf("%s: Accept devolveu %v; esperava ErrStopped", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s não acordou o Accept", name)
		}
		if n := s.interrupted.Load() + s.failed.Load() + s.served.Load(); n != 0 {
			t.Errorf("%s: a conexão de despertar entrou na conta (%d)", name, n)
		}
		ln.Close()
	}
}
