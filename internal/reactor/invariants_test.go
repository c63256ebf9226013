//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// O comentário de Conn diz o tamanho: este teste o mantém honesto.
func TestConnSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("o comentário fala de uma máquina de 64 bits")
	}
	if n := unsafe.Sizeof(Conn{}); n != 168 {
		t.Errorf("Conn tem %d bytes; o comentário diz 168", n)
	}
}

// O prazo de espera arredonda PARA CIMA: um timer a 1 ns, ou a 1,5 ms, não
// pode virar "durma 0 ms" / "durma 1 ms" (o laço acordaria antes do prazo,
// acharia nada vencido e giraria em falso até ele).
func TestTimeoutRoundsUp(t *testing.T) {
	l := &Loop{}
	if got := l.timeout(0); got != -1 {
		t.Errorf("sem timers: timeout %d, esperado -1", got)
	}
	const ms = int64(time.Millisecond)
	for _, c := range []struct {
		when, now int64
		want      int
	}{
		{5, 5, 0},                    // vencido agora
		{5, 100, 0},                  // vencido antes
		{1, 0, 1},                    // 1 ns adiante: 1 ms, não 0
		{ms - 1, 0, 1},               //
		{ms, 0, 1},                   // exato
		{ms + 1, 0, 2},               // 1 ms e 1 ns: 2 ms, não 1
		{3 * ms / 2, 0, 2},           // 1,5 ms
		{10*ms + 7, 7, 10},           // exato, com now ≠ 0
		{math.MaxInt64, 0, 1 << 30},  // longe demais: o teto
		{math.MaxInt64, ms, 1 << 30}, //
	} {
		l.timers = timerHeap{{when: c.when}}
		if got := l.timeout(c.now); got != c.want {
			t.Errorf("prazo %d ns, agora %d ns: timeout %d ms, esperado %d", c.when, c.now, got, c.want)
		}
	}
}

// Um timer para daqui a uma eternidade fica numa eternidade: o prazo
// satura em vez de dar a volta no int64 (e disparar na hora).
func TestTimerFarFutureSaturates(t *testing.T) {
	t.Parallel()
	l, err := New(Config{Handler: &fh{t: t}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.p.close()
	fired := 0
	conn := &Conn{l: l, t: Timer{idx: -1}}
	for _, d := range []time.Duration{math.MaxInt64, math.MaxInt64 - 1, math.MaxInt64 / 2 * 2} {
		tm := l.AfterFunc(d, func() { fired++ })
		conn.AfterFunc(d, func(*Conn) { fired++ })
		now := int64(time.Since(l.base))
		if tm.when < now+int64(time.Hour) || conn.t.when < now+int64(time.Hour) {
			t.Errorf("AfterFunc(%d): prazos %d e %d, antes de agora+1h (%d): deram a volta", d, tm.when, conn.t.when, now)
		}
		l.runTimers(now + int64(time.Hour))
		if got := l.timeout(now); got != 1<<30 {
			t.Errorf("AfterFunc(%d): timeout %d ms, esperado o teto %d", d, got, 1<<30)
		}
		tm.Stop()
		conn.t.Stop()
	}
	if fired != 0 {
		t.Errorf("%d timers de prazo enorme dispararam", fired)
	}
}

// Post devolve true só se f vai rodar, mesmo com o laço terminando: várias
// goroutines postam sem parar enquanto Stop e Run acabam; cada true tem de
// ter rodado.
func TestPostRunsOrRefuses(t *testing.T) {
	t.Parallel()
	for round := 0; round < 30; round++ {
		l, err := New(Config{Handler: &fh{t: t}})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- l.Run() }()
		var accepted, ran atomic.Int64
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 1_000_000; i++ { // termina bem antes: no primeiro false
					if !l.Post(func() { ran.Add(1) }) {
						return
					}
					accepted.Add(1)
				}
			}()
		}
		time.Sleep(time.Millisecond) // deixa as goroutines começarem (não é sincronização)
		l.Stop(0)
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run não voltou 10 s depois de Stop")
		}
		wg.Wait()
		if a, r := accepted.Load(), ran.Load(); a != r {
			t.Fatalf("rodada %d: Post devolveu true %d vezes, mas só %d funções rodaram", round, a, r)
		}
	}
}

// Na parada, quem só esperava o fim do fechamento com espera (a resposta
// inteira já com o kernel) fecha sem erro e não conta como interrompida;
// quem estava no meio do trabalho, ou ainda tinha saída pendente, recebe
// ErrStopped e conta. Flushed diz qual foi o caso.
func TestStopSparesLingeringConn(t *testing.T) {
	t.Parallel()
	type end struct {
		err     error
		flushed bool
	}
	ends := make(chan end, 3)
	got := make(chan struct{}, 3)
	big := make([]byte, 32<<20) // maior que os buffers do socket: fica pendente
	seen := map[*Conn]bool{}    // só a thread do laço mexe
	h := &fh{t: t,
		data: func(c *Conn, in []byte) {
			if seen[c] {
				return
			}
			seen[c] = true
			switch string(in) {
			case "responda": // responde e fica no linger: o cliente não fecha
				c.Write([]byte("ok"))
				c.Close()
			case "grande": // o cliente não lê: saída pendente
				c.Write(big)
				c.Close()
			} // "espere": nada, como no meio do delay
			got <- struct{}{}
		},
		close: func(c *Conn, err error) { ends <- end{err, c.Flushed()} },
	}
	l, err := New(Config{Handler: h, Linger: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	port, err := l.Listen("127.0.0.1", 0, 8)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	var conns []net.Conn
	for _, msg := range []string{"responda", "espere", "grande"} {
		c := dial(t, addr)
		defer c.Close()
		c.Write([]byte(msg))
		wait(t, got, "OnData de "+msg)
		conns = append(conns, c)
	}
	if b := readAll(t, conns[0]); string(b) != "ok" { // até o FIN do servidor
		t.Fatalf("resposta %q", b)
	}
	l.Stop(100 * time.Millisecond)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run não voltou 10 s depois de Stop")
	}
	var spared, stopped int
	for range 3 {
		switch e := <-ends; {
		case e.err == nil && e.flushed:
			spared++
		case errors.Is(e.err, ErrStopped) && !e.flushed:
			stopped++
		default:
			t.Errorf("OnClose(%v) com Flushed=%v", e.err, e.flushed)
		}
	}
	if spared != 1 || stopped != 2 || l.Interrupted() != 2 {
		t.Errorf("%d poupada(s) (esperado 1: a do linger), %d cortada(s) (esperado 2), Interrupted=%d (esperado 2)",
			spared, stopped, l.Interrupted())
	}
}

// A conexão encerrada num lote só devolve o descritor ao kernel no fim dele:
// um accept no mesmo lote não pode receber o mesmo número (um evento velho
// da conexão antiga, ainda na lista do lote, iria para a nova), e OnClose
// ainda vê o socket antigo (RemoteAddr é o do cliente antigo).
func TestFinishedFDNotReusedInSameBatch(t *testing.T) {
	// Sem t.Parallel: o teste tapa os buracos na tabela de descritores do
	// processo, e outro teste abrindo e fechando descritores os reabriria.
	opened := make(chan *Conn, 2)
	var first *Conn
	var firstAddr string
	h := &fh{t: t,
		open: func(c *Conn) { opened <- c },
		data: func(c *Conn, in []byte) { c.Write(in) },
		close: func(c *Conn, err error) {
			if c == first {
				firstAddr = c.RemoteAddr()
			}
		},
	}
	l, addr := startLoop(t, h, Config{})
	a := dial(t, addr)
	defer a.Close()
	first = <-opened
	fd := first.fd // depois do lote, first.fd vira -1
	wantAddr := fmt.Sprintf("('127.0.0.1', %d)", a.LocalAddr().(*net.TCPAddr).Port)
	onLoop(t, l, func() { l.watchListener(false) }) // o próximo cliente espera na fila do kernel
	b := dial(t, addr)
	defer b.Close()

	// Tapa todo buraco abaixo do descritor de first: se ele fosse fechado já
	// em finish, o kernel (que sempre dá o menor número livre) daria a b
	// exatamente esse número.
	var filler []int
	defer func() {
		for _, fd := range filler {
			unix.Close(fd)
		}
	}()
	for {
		nfd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		filler = append(filler, nfd)
		if filler[len(filler)-1] > fd {
			break
		}
	}

	var second *Conn
	var stale *Conn
	onLoop(t, l, func() { // um lote: first acaba, e o socket de escuta vem depois
		first.finish(nil)
		if err := l.watchListener(true); err != nil {
			t.Error(err)
		}
		l.acceptAll()
		select {
		case second = <-opened:
		default:
		}
		stale = l.conns[fd]
	})
	if second == nil {
		t.Fatal("o accept do lote não trouxe a conexão de b")
	}
	if second.fd == fd {
		t.Errorf("a conexão aceita no mesmo lote recebeu o descritor %d, o da que acabou de ser encerrada", fd)
	}
	if stale != nil {
		t.Errorf("a posição %d da tabela aponta para outra conexão: um evento velho do lote iria para ela", fd)
	}
	if b := readAll(t, a); len(b) != 0 {
		t.Errorf("a recebeu %q antes do EOF", b)
	}
	onLoop(t, l, func() {}) // OnClose(first) já rodou no fim daquele lote
	if firstAddr != wantAddr {
		t.Errorf("em OnClose, RemoteAddr = %s; esperado %s (o cliente de first)", firstAddr, wantAddr)
	}
	b.Write([]byte("eco"))
	buf := make([]byte, 3)
	if _, err := io.ReadFull(b, buf); err != nil || string(buf) != "eco" {
		t.Errorf("b: eco %q, %v", buf, err)
	}
}

// refusing é um poller que recusa passar a vigiar a escrita, como um kernel
// sem memória: os outros pedidos vão ao poller de verdade.
type refusing struct{ poller }

func (p refusing) set(fd int, old, ev uint8) error {
	if ev&evWrite != 0 && old&evWrite == 0 {
		return unix.ENOMEM
	}
	return p.poller.set(fd, old, ev)
}

// Se o poller recusa uma mudança, a conexão acaba com esse erro e o
// interesse guardado (c.ev) continua sendo o que o kernel tem; Write devolve
// o erro.
func TestPollerRefusalEndsConn(t *testing.T) {
	t.Parallel()
	type end struct {
		err, werr error
		ev        uint8
	}
	ends := make(chan end, 1)
	var werr error
	h := &fh{t: t,
		open:  func(c *Conn) { werr = c.Write(make([]byte, 32<<20)) }, // o resto fica pendente: vigiar a escrita
		close: func(c *Conn, err error) { ends <- end{err, werr, c.ev} },
	}
	l, err := New(Config{Handler: h})
	if err != nil {
		t.Fatal(err)
	}
	l.p = refusing{l.p}
	port, err := l.Listen("127.0.0.1", 0, 8)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	defer func() { l.Stop(0); <-done }()
	c := dial(t, fmt.Sprintf("127.0.0.1:%d", port))
	defer c.Close()
	select {
	case e := <-ends:
		if e.err != unix.ENOMEM || e.werr != unix.ENOMEM || e.ev != evRead {
			t.Errorf("OnClose(%v), Write devolveu %v, interesse %d; esperado ENOMEM, ENOMEM e %d (só leitura, o que o kernel tem)",
				e.err, e.werr, e.ev, evRead)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a recusa do poller não encerrou a conexão")
	}
}
