package reactor

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"net"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Timers disparam em ordem de prazo e nunca antes dele.
func TestTimersOrderAndNotEarly(t *testing.T) {
	t.Parallel()
	l, _ := startLoop(t, &fh{t: t}, Config{})
	type fired struct {
		due  time.Duration
		when int64 // prazo absoluto no relógio do laço
		at   time.Time
	}
	var got []fired
	done := make(chan struct{})
	var start time.Time
	const n = 200
	onLoop(t, l, func() {
		start = time.Now()
		for i := 0; i < n; i++ {
			d := time.Duration(rand.Intn(60)) * time.Millisecond
			var tm *Timer
			tm = l.AfterFunc(d, func() {
				got = append(got, fired{d, tm.when, time.Now()})
				if len(got) == n {
					close(done)
				}
			})
		}
	})
	wait(t, done, "disparo dos timers")
	onLoop(t, l, func() {})
	if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i].when < got[j].when }) {
		t.Error("timers fora da ordem dos prazos")
	}
	for _, f := range got {
		if early := l.base.Add(time.Duration(f.when)).Sub(f.at); early > 0 || f.at.Before(start.Add(f.due)) {
			t.Errorf("timer de %v disparou %v cedo", f.due, early)
		}
	}
}

// 10.000 timers: todos disparam, em ordem, uma vez cada.
func TestTenThousandTimers(t *testing.T) {
	t.Parallel()
	l, _ := startLoop(t, &fh{t: t}, Config{})
	const n = 10000
	var last int64 = -1
	count := 0
	done := make(chan struct{})
	onLoop(t, l, func() {
		for i := 0; i < n; i++ {
			d := time.Duration(rand.Intn(100_000)) * time.Microsecond
			var tm *Timer
			tm = l.AfterFunc(d, func() {
				if tm.when < last {
					t.Errorf("timer com prazo %d depois do de prazo %d", tm.when, last)
				}
				last = tm.when
				if count++; count == n {
					close(done)
				}
			})
		}
	})
	wait(t, done, "10.000 timers")
}

// Um timer cancelado nunca dispara (nem os cancelados pelo fechamento).
func TestCancelledTimerNeverFires(t *testing.T) {
	t.Parallel()
	l, _ := startLoop(t, &fh{t: t}, Config{})
	var bad atomic.Int32
	done := make(chan struct{})
	onLoop(t, l, func() {
		for i := 0; i < 100; i++ {
			tm := l.AfterFunc(time.Duration(i%20)*time.Millisecond, func() { bad.Add(1) })
			if !tm.Stop() || tm.Stop() {
				t.Error("Stop deveria devolver true e depois false")
			}
		}
		l.AfterFunc(40*time.Millisecond, func() { close(done) })
	})
	wait(t, done, "timer de controle")
	if bad.Load() != 0 {
		t.Errorf("%d timers cancelados dispararam", bad.Load())
	}
}

// Stop de outra goroutine faz Run voltar logo, mesmo com um timer de uma
// hora e uma conexão aberta (fechada à força e contada).
func TestStopFromAnotherGoroutine(t *testing.T) {
	t.Parallel()
	closed := make(chan error, 1)
	h := &fh{t: t, close: func(c *Conn, err error) { closed <- err }}
	l, err := New(Config{Handler: h})
	if err != nil {
		t.Fatal(err)
	}
	port, err := l.Listen("127.0.0.1", 0, 8)
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan struct{})
	h.open = func(*Conn) { close(opened) }
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	l.Post(func() { l.AfterFunc(time.Hour, func() {}) })
	c := dial(t, "127.0.0.1:"+strconv.Itoa(port))
	defer c.Close()
	wait(t, opened, "OnOpen")
	start := time.Now()
	go l.Stop(0)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run não voltou 2 s depois de Stop")
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Run levou %v para voltar", d)
	}
	if err := <-closed; !errors.Is(err, ErrStopped) {
		t.Errorf("OnClose(%v), esperado ErrStopped", err)
	}
	if l.Interrupted() != 1 || l.Active() != 0 {
		t.Errorf("Interrupted=%d Active=%d, esperado 1 e 0", l.Interrupted(), l.Active())
	}
	if l.Post(func() {}) {
		t.Error("Post depois do fim de Run deveria ser recusado")
	}
}

// Parada graciosa: a conexão em andamento termina dentro do prazo.
func TestStopGraceLetsConnectionsFinish(t *testing.T) {
	t.Parallel()
	got := make(chan struct{})
	h := &fh{t: t, data: func(c *Conn, in []byte) {
		close(got)
		c.AfterFunc(100*time.Millisecond, func(c *Conn) { c.Write([]byte("ok")); c.Close() })
	}}
	l, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	defer c.Close()
	c.Write([]byte("x"))
	wait(t, got, "OnData")
	l.Stop(5 * time.Second)
	if b := readAll(t, c); string(b) != "ok" {
		t.Errorf("resposta %q, esperado \"ok\"", b)
	}
	if _, err := net.DialTimeout("tcp4", addr, time.Second); err == nil {
		t.Error("o laço parado ainda aceita conexões")
	}
	if l.Interrupted() != 0 {
		t.Errorf("Interrupted=%d, esperado 0", l.Interrupted())
	}
}

// 8 MiB para um leitor lento: o kernel aceita só parte; o resto sai pelos
// eventos de "pode escrever", e Close espera o envio terminar.
func TestBigWriteToSlowReaderAndCloseFlushes(t *testing.T) {
	t.Parallel()
	data := make([]byte, 8<<20)
	rand.Read(data)
	var pending atomic.Int64
	h := &fh{t: t, open: func(c *Conn) {
		c.Write(data)
		pending.Store(int64(len(c.out)))
		c.Close()
	}}
	_, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	defer c.Close()
	var got bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Microsecond) // leitor lento (não é sincronização)
	}
	if pending.Load() == 0 {
		t.Error("o kernel aceitou 8 MiB de uma vez: o teste não exercitou a saída pendente")
	}
	if !bytes.Equal(got.Bytes(), data) {
		t.Errorf("recebidos %d bytes diferentes dos %d enviados", got.Len(), len(data))
	}
}

// Com saída pendente, escritas seguintes vão para o fim da fila: a ordem vale.
func TestWriteOrderWithPending(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte{'.'}, 4<<20)
	h := &fh{t: t, open: func(c *Conn) {
		c.Write(big)
		for i := 0; i < 100; i++ {
			c.Write([]byte{byte('A' + i%26)})
		}
		c.Close()
	}}
	_, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	defer c.Close()
	b := readAll(t, c)
	if len(b) != len(big)+100 {
		t.Fatalf("recebidos %d bytes, esperado %d", len(b), len(big)+100)
	}
	for i, x := range b[len(big):] {
		if x != byte('A'+i%26) {
			t.Fatalf("byte %d do fim é %q, esperado %q", i, x, byte('A'+i%26))
		}
	}
}

// O cliente fecha enquanto o timer da conexão está pendente: OnClose(nil),
// o timer não dispara, nada entra em pânico.
func TestPeerClosesWhileTimerPending(t *testing.T) {
	t.Parallel()
	var fired atomic.Int32
	closed := make(chan error, 1)
	h := &fh{t: t,
		data:  func(c *Conn, in []byte) { c.AfterFunc(30*time.Millisecond, func(*Conn) { fired.Add(1) }) },
		close: func(c *Conn, err error) { closed <- err },
	}
	l, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	c.Write([]byte("oi"))
	c.Close()
	if err := <-closed; err != nil {
		t.Errorf("OnClose(%v), esperado nil (fim normal)", err)
	}
	later := make(chan struct{})
	l.Post(func() { l.AfterFunc(80*time.Millisecond, func() { close(later) }) })
	wait(t, later, "timer de controle")
	if fired.Load() != 0 {
		t.Error("o timer de uma conexão fechada disparou")
	}
}

// eofh é um fh que também implementa EOFHandler.
type eofh struct {
	*fh
	eof func(c *Conn) bool
}

func (h eofh) OnEOF(c *Conn) bool { return h.eof(c) }

// Meio fechamento: o cliente manda a mensagem e faz shutdown(SHUT_WR). Se
// OnEOF devolve true, a conexão fica aberta, sem vigiar a leitura (o EOF em
// level-triggered acordaria o laço sem parar), e a resposta ainda chega,
// seguida de EOF. Se devolve false, fecha na hora, sem resposta.
func TestHalfClose(t *testing.T) {
	t.Parallel()
	for _, keep := range []bool{true, false} {
		var eofs, watched atomic.Int32
		closed := make(chan error, 1)
		h := eofh{fh: &fh{t: t, close: func(c *Conn, err error) { closed <- err }},
			eof: func(c *Conn) bool {
				eofs.Add(1)
				if keep {
					c.AfterFunc(50*time.Millisecond, func(c *Conn) {
						watched.Store(int32(c.ev))
						c.Write([]byte("resposta"))
						c.Close()
					})
				}
				return keep
			}}
		_, addr := startLoop(t, h, Config{})
		c := dial(t, addr)
		c.Write([]byte("oi"))
		c.CloseWrite()
		want := map[bool]string{true: "resposta", false: ""}[keep]
		if b := readAll(t, c); string(b) != want {
			t.Errorf("keepOpen=%v: resposta %q, esperado %q", keep, b, want)
		}
		c.Close()
		select {
		case err := <-closed:
			if err != nil {
				t.Errorf("keepOpen=%v: OnClose(%v), esperado nil", keep, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("keepOpen=%v: OnClose não veio", keep)
		}
		if eofs.Load() != 1 || watched.Load() != 0 {
			t.Errorf("keepOpen=%v: OnEOF chamado %d vezes, interesse %d depois do EOF; esperado 1 e 0",
				keep, eofs.Load(), watched.Load())
		}
	}
}

// Um aviso de "legível" sem nada para ler (EAGAIN) é normal: nada acontece.
func TestSpuriousWakeupIsHarmless(t *testing.T) {
	t.Parallel()
	var conn *Conn
	var ending atomic.Bool
	opened := make(chan struct{})
	h := &fh{t: t,
		open: func(c *Conn) { conn = c; close(opened) },
		data: func(c *Conn, in []byte) { c.Write(in) },
		close: func(c *Conn, err error) {
			if !ending.Load() {
				t.Errorf("OnClose(%v) depois de um aviso falso", err)
			}
		},
	}
	l, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	defer c.Close()
	wait(t, opened, "OnOpen")
	onLoop(t, l, func() {
		for i := 0; i < 10; i++ {
			conn.ready(true, true)
		}
	})
	c.Write([]byte("eco"))
	b := make([]byte, 3)
	if _, err := io.ReadFull(c, b); err != nil || string(b) != "eco" {
		t.Fatalf("eco: %q, %v", b, err)
	}
	ending.Store(true)
}

// Fechamento com espera: quem mandou mais que o servidor leu recebe a
// resposta inteira e EOF, não RST.
func TestLingerCloseGivesEOFNotReset(t *testing.T) {
	t.Parallel()
	h := &fh{t: t, data: func(c *Conn, in []byte) {
		c.Write([]byte("resposta"))
		c.Close()
	}}
	_, addr := startLoop(t, h, Config{ReadSize: 1024})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dial(t, addr)
			defer c.Close()
			if _, err := c.Write(make([]byte, 64<<10)); err != nil {
				t.Error(err)
				return
			}
			b, err := io.ReadAll(c)
			if err != nil || string(b) != "resposta" {
				t.Errorf("resposta %q, erro %v", b, err)
			}
		}()
	}
	wg.Wait()
}

// O cliente fecha a escrita (meio fechamento) e o servidor responde com mais
// do que cabe no buffer do socket: a saída fica pendente, e o laço passa a
// vigiar a escrita depois do EOF. A resposta chega inteira, sem a conexão
// ser encerrada no meio (o WSAPoll do Windows avisa POLLHUP desde o FIN do
// cliente; tratado como "legível", ele encerrava a conexão).
func TestHalfCloseThenBigReply(t *testing.T) {
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	closed := make(chan error, 1)
	var pend int
	h := eofh{fh: &fh{t: t, close: func(c *Conn, err error) { closed <- err }},
		eof: func(c *Conn) bool {
			c.AfterFunc(50*time.Millisecond, func(c *Conn) {
				c.Write(data)
				pend = len(c.out)
				c.Close()
			})
			return true
		}}
	_, addr := startLoop(t, h, Config{})
	c := dial(t, addr)
	defer c.Close()
	c.Write([]byte("oi"))
	c.CloseWrite()
	var got bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Logf("erro de leitura: %v", err)
			break
		}
		time.Sleep(200 * time.Microsecond)
	}
	err := <-closed
	t.Logf("pendente depois do primeiro send: %d; recebidos %d de %d; OnClose(%v)", pend, got.Len(), len(data), err)
	if !bytes.Equal(got.Bytes(), data) {
		t.Errorf("resposta cortada: %d de %d bytes", got.Len(), len(data))
	}
}
