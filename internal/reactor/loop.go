package reactor

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"roteiro2/internal/socket"
)

// Handler recebe os eventos das conexões, sempre na thread do laço.
type Handler interface {
	OnOpen(c *Conn) // conexão nova aceita
	// OnData: chegaram bytes. in é o buffer de leitura do laço, válido só
	// durante a chamada: copie o que precisar guardar.
	OnData(c *Conn, in []byte)
	// OnClose: a conexão acabou (err nil = fim normal). Depois dele, nenhum
	// outro callback desta conexão.
	OnClose(c *Conn, err error)
}

// EOFHandler é opcional, como o eof_received do Protocol do asyncio. O
// cliente fechou só a escrita (shutdown(SHUT_WR), como o `nc -N`): read()
// devolveu 0, mas ele ainda espera a resposta. O laço deixa de vigiar a
// leitura (em level-triggered o EOF seria "legível" para sempre) e chama
// OnEOF: true mantém a conexão aberta, para a resposta ainda sair; false,
// ou um Handler sem OnEOF, fecha (OnClose com err nil).
type EOFHandler interface {
	OnEOF(c *Conn) (keepOpen bool)
}

// Config ajusta o laço; campos zerados usam o padrão.
type Config struct {
	Handler       Handler                          // os callbacks (StartServer põe a camada de streams)
	Observer      Observer                         // opcional: avisado de cada conexão e do início e fim do laço
	Logf          func(format string, args ...any) // avisos do laço (accept sem descritores)
	ReadSize      int                              // buffer de leitura do laço (64 KiB)
	AcceptBackoff time.Duration                    // pausa do accept após EMFILE (100 ms)
	Linger        time.Duration                    // prazo do fechamento com espera (2 s)
	ReadTimeout   time.Duration                    // prazo de cada Read da camada de streams (0: sem prazo)
}

// Erros entregues a OnClose.
var (
	ErrClosed  = errors.New("reactor: conexão fechada")
	ErrStopped = errors.New("reactor: laço parado antes do fim da conexão")
	ErrLinger  = errors.New("reactor: cliente não terminou de enviar no prazo do fechamento")
)

const (
	evRead      = 1 << iota // interesse em leitura
	evWrite                 // interesse em escrita
	wakeFD      = -1        // "evento" do aviso vindo de outra goroutine
	acceptBatch = 128       // accepts por volta, para não matar de fome as conexões
)

// event é um descritor pronto, já traduzido do epoll ou do kqueue.
type event struct {
	fd   int
	r, w bool
}

// poller é o que cada sistema oferece (poller_epoll.go, poller_kqueue.go,
// poller_wsapoll.go); o mesmo conjunto de métodos nos três, conferido na
// compilação (var _ poller em cada arquivo).
type poller interface {
	set(fd int, old, ev uint8) error // muda o interesse em fd de old para ev (0 = nenhum)
	wait(msec int) ([]event, error)  // -1 = sem prazo; EINTR devolve zero eventos
	wake() error                     // acorda wait; de qualquer goroutine
	forget(fd int)                   // fd vai ser fechado (o close do epoll e do kqueue já o tira)
	close() error
}

// Loop é o laço de eventos. Crie com New, escute com Listen, rode com Run.
type Loop struct {
	cfg    Config
	eof    EOFHandler // cfg.Handler, se implementa OnEOF
	p      poller
	base   time.Time
	buf    []byte // buffer de leitura único, de todas as conexões
	conns  table  // descritor → conexão (sys_*.go)
	timers timerHeap
	seq    uint64
	dying  []*Conn // conexões encerradas neste lote: OnClose e close(2) no fim

	lfd         int                        // socket de escuta, -1 se nenhum
	port        int                        // a porta dele
	lwatch      bool                       // o socket de escuta está registrado no poller
	accept      func(lfd int) (int, error) // o accept do sistema (os testes injetam erros)
	acceptErr   error                      // episódio de falta de descritores em curso
	acceptTimer *Timer                     // retomada do accept

	stopping, done bool
	readTimeoutErr error // o erro de um Read que passou de Config.ReadTimeout

	mu     sync.Mutex // só em volta da fila de Post
	posted []func()
	closed bool

	active, accepted, interrupted, acceptErrors atomic.Int64
}

// New cria o laço (e o epoll/kqueue dele).
func New(cfg Config) (*Loop, error) {
	if cfg.ReadSize <= 0 {
		cfg.ReadSize = 64 << 10
	}
	if cfg.AcceptBackoff <= 0 {
		cfg.AcceptBackoff = 100 * time.Millisecond
	}
	if cfg.Linger <= 0 {
		cfg.Linger = 2 * time.Second
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	p, err := newPoller()
	if err != nil {
		return nil, err
	}
	eof, _ := cfg.Handler.(EOFHandler)
	return &Loop{cfg: cfg, eof: eof, p: p, base: time.Now(), buf: make([]byte, cfg.ReadSize), lfd: -1, accept: accept,
		readTimeoutErr: fmt.Errorf("%w (%v)", ErrReadTimeout, cfg.ReadTimeout)}, nil
}

// StartServer é o asyncio.start_server(handle_client, host, port): cria o
// laço e o socket de escuta, e a cada conexão aceita chama handle(c) na
// thread do laço, com c pronta para a camada de streams (Read, Sleep, Write,
// Drain, Close, WaitClosed). cfg.Handler é ignorado. Nada acontece até
// ServeForever.
func StartServer(handle func(c *Conn), host string, port, backlog int, cfg Config) (*Loop, error) {
	cfg.Handler = &streamHandler{handle: handle, obs: cfg.Observer}
	l, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := l.Listen(host, port, backlog); err != nil {
		l.p.close()
		return nil, err
	}
	return l, nil
}

// ServeForever é o `await server.serve_forever()`: roda o laço até Stop.
func (l *Loop) ServeForever() error { return l.Run() }

// Listen abre o socket de escuta como o asyncio faz (socket, SO_REUSEADDR,
// bind, listen(backlog) exato, não bloqueante) e devolve a porta ligada.
// Chame antes de Run.
func (l *Loop) Listen(host string, port, backlog int) (int, error) {
	s, port, err := socket.CreateServer(host, port, backlog)
	if err != nil {
		return 0, err
	}
	if err := s.SetBlocking(false); err != nil {
		s.Close()
		return 0, err
	}
	l.lfd, l.port = socketFd(s), port
	return port, l.watchListener(true)
}

// Port é a porta em que o laço escuta (com a porta 0, a que o kernel escolheu).
func (l *Loop) Port() int { return l.port }

// watchListener liga ou desliga a vigia do socket de escuta; lwatch só
// muda se o kernel aceitou a mudança.
func (l *Loop) watchListener(on bool) error {
	if l.lfd < 0 || l.lwatch == on {
		return nil
	}
	old, ev := uint8(0), uint8(evRead)
	if !on {
		old, ev = ev, old
	}
	if err := l.p.set(l.lfd, old, ev); err != nil {
		return err
	}
	l.lwatch = on
	return nil
}

// Active é o número de conexões abertas; Accepted, o total aceito;
// Interrupted, quantas Stop fechou à força ao fim do prazo.
func (l *Loop) Active() int64      { return l.active.Load() }
func (l *Loop) Accepted() int64    { return l.accepted.Load() }
func (l *Loop) Interrupted() int64 { return l.interrupted.Load() }

// AcceptErrors é quantos accept falharam (EMFILE e companhia), como o
// erros_accept dos servidores bloqueantes.
func (l *Loop) AcceptErrors() int64 { return l.acceptErrors.Load() }

// Post agenda f para rodar na thread do laço, acordando-o se dorme. Pode
// ser chamado de qualquer goroutine. Devolve true se f vai rodar (mesmo com
// Run terminando: o que Post aceitou roda na saída de Run, ainda na thread
// do laço) e false se o laço já terminou, e então f nunca roda.
func (l *Loop) Post(f func()) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.posted = append(l.posted, f)
	if len(l.posted) == 1 { // um aviso basta até o laço esvaziar a fila
		l.p.wake()
	}
	return true
}

func (l *Loop) runPosted() {
	l.mu.Lock()
	q := l.posted
	l.posted = nil
	l.mu.Unlock()
	for _, f := range q {
		f()
	}
}

// Stop pede a parada, de qualquer goroutine: o laço deixa de aceitar,
// espera as conexões abertas terminarem por até grace, fecha as que
// sobrarem (OnClose com ErrStopped; contadas em Interrupted, exceto as que
// só esperavam o fim do fechamento com espera) e Run retorna.
func (l *Loop) Stop(grace time.Duration) {
	l.Post(func() {
		if l.stopping {
			return
		}
		l.stopping = true
		if l.acceptTimer != nil {
			l.acceptTimer.Stop()
		}
		if l.lfd >= 0 { // quem ainda está na fila do kernel recebe RST
			l.p.forget(l.lfd)
			closeFd(l.lfd)
			l.lfd, l.lwatch = -1, false
		}
		l.AfterFunc(grace, func() {
			for _, c := range l.conns {
				switch {
				case c == nil:
				case c.state == lingering: // já respondeu e mandou FIN: terminou
					c.finish(nil)
				default:
					l.interrupted.Add(1)
					c.finish(ErrStopped)
				}
			}
		})
		l.checkDone()
	})
}

func (l *Loop) checkDone() {
	if l.stopping && l.active.Load() == 0 && len(l.dying) == 0 {
		l.done = true
	}
}

// Run roda o laço nesta goroutine, presa a uma thread do SO, até Stop.
func (l *Loop) Run() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer l.shutdown()
	if l.cfg.Observer != nil {
		l.cfg.Observer.Started(l)
	}
	for !l.done {
		evs, err := l.p.wait(l.timeout(int64(time.Since(l.base))))
		if err != nil {
			return err
		}
		for _, e := range evs {
			switch {
			case e.fd == wakeFD:
				l.runPosted()
			case e.fd == l.lfd:
				l.acceptAll()
			case l.conns.get(e.fd) != nil:
				l.conns.get(e.fd).ready(e.r, e.w)
			}
		}
		l.runTimers(int64(time.Since(l.base)))
		l.bury()
	}
	return nil
}

// bury termina as conexões encerradas no lote: OnClose e só então close(2).
// O descritor só volta ao kernel depois do lote inteiro: nenhum accept do
// lote recebe aquele número. O close(2) também o tira do epoll/kqueue (no
// epoll, se for a última referência ao socket: um fork em andamento teria
// outra, e um evento velho seria só um aviso falso que o read desmente).
func (l *Loop) bury() {
	for i := 0; i < len(l.dying); i++ { // OnClose pode encerrar outras
		c := l.dying[i]
		l.dying[i] = nil
		l.active.Add(-1)
		c.buried = true
		l.cfg.Handler.OnClose(c, c.err)
		l.p.forget(c.fd)
		closeFd(c.fd)
		c.fd = -1 // quem guardou c não mexe no descritor de outra conexão
	}
	l.dying = l.dying[:0]
	l.checkDone()
}

func (l *Loop) shutdown() {
	for _, c := range l.conns {
		if c != nil {
			c.finish(ErrStopped)
		}
	}
	l.bury()
	if l.lfd >= 0 {
		l.p.forget(l.lfd)
		closeFd(l.lfd)
	}
	// Daqui em diante Post recusa; o que ele aceitou depois da última volta
	// roda agora (Post promete rodar toda f pela qual devolveu true).
	l.mu.Lock()
	l.closed = true
	l.p.close()
	l.mu.Unlock()
	l.runPosted()
	if l.cfg.Observer != nil {
		l.cfg.Observer.Stopped(l)
	}
}

// acceptAll aceita até acceptBatch conexões (ou até EAGAIN: fila vazia),
// sem pedir o endereço do cliente (quem o imprime chama Conn.RemoteAddr).
func (l *Loop) acceptAll() {
	for i := 0; i < acceptBatch && l.lwatch; i++ {
		fd, err := l.accept(l.lfd)
		switch {
		case err == errAgain:
			return // fila vazia: o aviso era só uma dica
		case err == errIntr || lostConn(err):
			continue // um sinal, ou a conexão da vez morreu na fila: a próxima
		case err != nil:
			l.acceptFailed(err)
			return
		}
		if err := l.p.set(fd, 0, evRead); err != nil { // sem memória para vigiá-la
			closeFd(fd)
			l.acceptFailed(err)
			return
		}
		if l.acceptErr != nil {
			l.cfg.Logf("[AVISO] accept voltou a funcionar (%v passou).", l.acceptErr)
			l.acceptErr = nil
		}
		c := &Conn{l: l, fd: fd, ev: evRead, t: Timer{idx: -1}}
		l.conns.put(fd, c)
		l.active.Add(1)
		l.accepted.Add(1)
		l.cfg.Handler.OnOpen(c)
	}
}

// acceptFailed: sem descritores (EMFILE, ENFILE) ou sem memória (ENOBUFS,
// ENOMEM) a conexão fica na fila do kernel e o socket de escuta continua
// "legível": insistir seria girar em falso a 100% de CPU. O laço para de
// olhar o socket de escuta e tenta de novo daqui a pouco (como o asyncio),
// avisando uma vez por episódio.
func (l *Loop) acceptFailed(err error) {
	l.acceptErrors.Add(1)
	if l.acceptErr == nil {
		l.acceptErr = err
		l.cfg.Logf("[AVISO] accept falhou: %v — pausando novas conexões; nova tentativa a cada %v (as conexões abertas seguem atendidas).",
			err, l.cfg.AcceptBackoff)
	}
	l.watchListener(false)
	l.acceptTimer = l.AfterFunc(l.cfg.AcceptBackoff, func() {
		if l.stopping {
			return
		}
		if err := l.watchListener(true); err != nil {
			l.acceptFailed(err) // nem a vigia voltou: outra pausa
		}
	})
}
