//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import (
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// rawDial conecta com chamadas de sistema bloqueantes diretas, para que o
// cliente do benchmark quase não aloque (e -benchmem meça o servidor).
func rawDial(b *testing.B, port int) int {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := unix.Connect(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		b.Fatal(err)
	}
	return fd
}

// churn: cada cliente conecta, manda 1 byte, lê a resposta até EOF e fecha
// (delay 0): accept, read, write, close por conexão.
func churn(b *testing.B, port int) {
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 64)
		for pb.Next() {
			fd := rawDial(b, port)
			unix.Write(fd, []byte{'x'})
			for {
				n, err := unix.Read(fd, buf)
				if n <= 0 || err != nil {
					break
				}
			}
			unix.Close(fd)
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "conn/s")
}

var reply = []byte("Processado: x")

type churnHandler struct{}

func (churnHandler) OnOpen(c *Conn)             {}
func (churnHandler) OnData(c *Conn, in []byte)  { c.Write(reply); c.Close() }
func (churnHandler) OnClose(c *Conn, err error) {}

// BenchmarkChurn: conexões por segundo no reactor, um laço, delay 0.
func BenchmarkChurn(b *testing.B) {
	_, addr := startLoop(b, churnHandler{}, Config{})
	port, _ := strconv.Atoi(addr[len("127.0.0.1:"):])
	churn(b, port)
}

// BenchmarkChurnStreams: o mesmo, com a camada de streams e os passos do
// server_async (Read, Sleep(0), Write, Drain, Close, WaitClosed): a
// diferença para BenchmarkChurn é o custo da camada por conexão
// (docs/desempenho.md).
func BenchmarkChurnStreams(b *testing.B) {
	l, err := StartServer(func(c *Conn) {
		c.Read(1024, func(data []byte, err error) {
			if len(data) == 0 {
				return
			}
			c.Sleep(0, func() {
				c.Write(append([]byte("Processado: "), data...))
				c.Drain(func(error) {
					c.Close()
					c.WaitClosed(func(error) {})
				})
			})
		})
	}, "127.0.0.1", 0, 128, Config{})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.ServeForever() }()
	defer func() { l.Stop(0); <-done }()
	churn(b, l.Port())
}

// BenchmarkChurnGoroutine: o mesmo servidor no modelo idiomático do Go
// (pacote net, uma goroutine por conexão), com o mesmo cliente, para a razão.
func BenchmarkChurnGoroutine(b *testing.B) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 1024)
				if _, err := c.Read(buf); err == nil {
					c.Write(reply)
					c.(*net.TCPConn).CloseWrite()
					c.SetReadDeadline(time.Now().Add(2 * time.Second))
					io.Copy(io.Discard, c)
				}
				c.Close()
			}()
		}
	}()
	defer wg.Wait()
	defer ln.Close()
	churn(b, ln.Addr().(*net.TCPAddr).Port)
}

type echoHandler struct{}

func (echoHandler) OnOpen(c *Conn)             {}
func (echoHandler) OnData(c *Conn, in []byte)  { c.Write(in) }
func (echoHandler) OnClose(c *Conn, err error) {}

// BenchmarkEcho: um evento de leitura e uma escrita por operação, numa
// conexão já aberta: o estado estável, que deve ser 0 alocações.
func BenchmarkEcho(b *testing.B) {
	_, addr := startLoop(b, echoHandler{}, Config{})
	port, _ := strconv.Atoi(addr[len("127.0.0.1:"):])
	fd := rawDial(b, port)
	defer unix.Close(fd)
	buf := make([]byte, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		unix.Write(fd, buf)
		if n, err := unix.Read(fd, buf); n != 1 || err != nil {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkTimerAddFire: incluir e disparar timers de conexão (o Timer
// embutido em Conn, reaproveitado), 1024 pendentes por vez.
func BenchmarkTimerAddFire(b *testing.B) {
	l, err := New(Config{Handler: echoHandler{}})
	if err != nil {
		b.Fatal(err)
	}
	defer l.p.close()
	var fired atomic.Int64
	cf := func(*Conn) { fired.Add(1) }
	conns := make([]Conn, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &conns[i%len(conns)]
		c.t.idx, c.t.fn, c.t.c = -1, cf, c
		l.schedule(&c.t, time.Duration(i%977)*time.Microsecond)
		if i%len(conns) == len(conns)-1 {
			l.runTimers(1 << 62)
		}
	}
	l.runTimers(1 << 62)
	if fired.Load() != int64(b.N) {
		b.Fatalf("%d disparos para %d timers", fired.Load(), b.N)
	}
}

// BenchmarkAfterFunc: Loop.AfterFunc aloca um Timer por chamada.
func BenchmarkAfterFunc(b *testing.B) {
	l, err := New(Config{Handler: echoHandler{}})
	if err != nil {
		b.Fatal(err)
	}
	defer l.p.close()
	f := func() {}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		l.AfterFunc(time.Duration(i%977)*time.Microsecond, f)
		if i%1024 == 1023 {
			l.runTimers(1 << 62)
		}
	}
}
