package e2e

import (
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// FakeServer é um servidor falso para os testes dos clientes: escuta em
// 127.0.0.1, numa porta livre, e entrega cada conexão a um Handler escrito
// no próprio teste (responde depois de um atraso, fecha sem responder,
// responde aos pedaços...). Ao fim do teste fecha o socket de escuta e
// espera os handlers; cada conexão tem um prazo de 20 s, para nenhum
// handler ficar pendurado.
type FakeServer struct {
	Port     string       // a porta, pronta para "-port"
	Accepted atomic.Int64 // conexões aceitas
	Received atomic.Int64 // bytes lidos por ReadMsg
}

// Handler atende uma conexão; a conexão é fechada quando ele volta.
type Handler func(s *FakeServer, c net.Conn)

// StartFake inicia um servidor falso concorrente: uma goroutine por conexão.
func StartFake(t testing.TB, handle Handler) *FakeServer {
	t.Helper()
	return startFake(t, false, handle)
}

// StartFakeSequential inicia um servidor falso sequencial: atende uma
// conexão por vez no próprio laço do accept, como o serverbloq; as outras
// esperam na fila do kernel.
func StartFakeSequential(t testing.TB, handle Handler) *FakeServer {
	t.Helper()
	return startFake(t, true, handle)
}

func startFake(t testing.TB, sequential bool, handle Handler) *FakeServer {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &FakeServer{Port: strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)}
	serveConn := func(c net.Conn) {
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		handle(s, c)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return // o socket de escuta foi fechado no fim do teste
			}
			s.Accepted.Add(1)
			if sequential {
				serveConn(c)
				continue
			}
			wg.Add(1)
			go func() { defer wg.Done(); serveConn(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return s
}

// ReadMsg lê a mensagem do cliente com um único read, como o recv(1024)
// dos originais, e a soma em Received.
func (s *FakeServer) ReadMsg(c net.Conn) []byte {
	buf := make([]byte, 1024)
	n, _ := c.Read(buf)
	s.Received.Add(int64(n))
	return buf[:n]
}

// Finish faz o que os servidores do projeto fazem depois de responder: fecha
// a escrita (o cliente vê EOF) e descarta o que ainda chegar (até 2 s)
// antes de fechar, para o kernel não trocar o FIN por um RST.
func Finish(c net.Conn) {
	c.(*net.TCPConn).CloseWrite()
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	io.Copy(io.Discard, c)
}

// Delayed é o handler do server.py: lê a mensagem, espera d, responde
// "Processado: MSG" e termina com Finish.
func Delayed(d time.Duration) Handler {
	return func(s *FakeServer, c net.Conn) {
		msg := s.ReadMsg(c)
		time.Sleep(d)
		c.Write(append([]byte("Processado: "), msg...))
		Finish(c)
	}
}

// AllTogether segura cada conexão até n delas estarem abertas ao mesmo
// tempo (no máximo 10 s; depois disso fecha sem responder) e só então a
// entrega a next. Um teste prova assim, sem relógio, que os clientes partem
// juntos: um cliente que esperasse o outro nunca receberia resposta.
func AllTogether(n int, next Handler) Handler {
	var (
		mu    sync.Mutex
		count int
		all   = make(chan struct{})
	)
	return func(s *FakeServer, c net.Conn) {
		mu.Lock()
		if count++; count == n {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
			next(s, c)
		case <-time.After(10 * time.Second):
		}
	}
}
