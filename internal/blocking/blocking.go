// Package blocking reúne o que os três servidores bloqueantes (serverbloq,
// servergargalo e server) fazem do mesmo jeito e que nada tem a ver com a
// lição de cada um:
//
//   - accept que sobrevive a erros (falta de descritores, EMFILE): registra,
//     espera um pouco e tenta de novo — nunca morre, nunca gira em falso;
//   - SIGINT/SIGTERM: para de aceitar, espera as conexões em andamento até o
//     prazo (-grace), fecha o resto e imprime a linha [RESUMO SERVIDOR];
//   - o fechamento demorado (lingering close) depois da resposta;
//   - o endereço do cliente no formato de tupla do Python.
//
// Cada main continua mostrando os passos do original (accept, recv, sleep,
// send, close); este pacote só cuida da contabilidade em volta deles.
package blocking

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"roteiro2/internal/proc"
)

// AcceptRetry é a pausa depois de um accept que falhou (por exemplo EMFILE:
// o processo chegou ao limite de descritores). A conexão continua na fila do
// kernel; tentar de novo sem pausa só queimaria CPU.
const AcceptRetry = 100 * time.Millisecond

// AcceptLogEvery é o intervalo mínimo entre duas linhas de erro de accept.
const AcceptLogEvery = 5 * time.Second

// LingerMax é o tempo máximo que Linger espera o cliente terminar de enviar.
const LingerMax = 2 * time.Second

// Server acompanha as conexões de um servidor bloqueante: quantas estão
// abertas, como cada uma terminou e o pico de threads do SO.
type Server struct {
	ln    net.Listener
	grace time.Duration
	quiet bool

	// Extra, se não for nil, acrescenta chaves ao fim da linha [RESUMO SERVIDOR].
	Extra func() string

	mu       sync.Mutex
	conns    map[net.Conn]struct{} // conexões aceitas e ainda não terminadas
	stopping bool
	drained  chan struct{} // fechado quando, parando, conns fica vazio
	stop     chan struct{} // fechado ao receber o sinal

	served, failed, interrupted atomic.Int64
	peakThreads                 atomic.Int64
	acceptErrors                atomic.Int64
	lastAcceptLog               time.Time // só a goroutine que chama Accept mexe
}

// New começa a acompanhar o servidor que escuta em ln: instala o tratamento
// de SIGINT/SIGTERM e uma amostragem periódica das threads do SO (o pico vai
// para o resumo). grace é o prazo das conexões em andamento na parada; quiet
// silencia as linhas por conexão (Logf).
func New(ln net.Listener, grace time.Duration, quiet bool) *Server {
	s := &Server{
		ln:    ln,
		grace: grace,
		quiet: quiet,
		conns: make(map[net.Conn]struct{}),
		stop:  make(chan struct{}),
	}
	s.peakThreads.Store(-1) // -1 = o sistema não informa (n/d)
	s.Threads()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		// Um segundo Ctrl-C (ou SIGTERM) durante a espera termina na hora.
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		s.shutdown()
	}()
	go s.sample()
	return s
}

// Logf imprime uma linha por conexão, a menos que -q tenha sido pedido.
// Várias goroutines podem chamar ao mesmo tempo: cada linha vai numa única
// escrita em os.Stdout, que o Go serializa.
func (s *Server) Logf(format string, args ...any) {
	if !s.quiet {
		fmt.Printf(format+"\n", args...)
	}
}

// Accept espera a próxima conexão e a registra como aberta. Devolve ok=false
// quando o servidor está parando (sinal recebido): quem chama então deve
// chamar Wait. Erros de accept (EMFILE, ENFILE, ENOBUFS...) não terminam o
// servidor: aparecem uma vez por episódio no log e o accept é tentado de
// novo depois de AcceptRetry.
func (s *Server) Accept() (c net.Conn, ok bool) {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if s.isStopping() {
				return nil, false
			}
			// No máximo uma linha a cada AcceptLogEvery, não uma por
			// tentativa; o total vai para o resumo (erros_accept).
			s.acceptErrors.Add(1)
			if time.Since(s.lastAcceptLog) >= AcceptLogEvery {
				s.lastAcceptLog = time.Now()
				fmt.Printf("[ERRO] accept falhou: %v — a conexão segue na fila do kernel; nova tentativa a cada %v\n", err, AcceptRetry)
			}
			select {
			case <-time.After(AcceptRetry):
			case <-s.stop:
			}
			continue
		}
		s.mu.Lock()
		if s.stopping {
			// Aceita no instante do sinal: não há mais tempo para ela.
			s.mu.Unlock()
			c.Close()
			s.interrupted.Add(1)
			return nil, false
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		return c, true
	}
}

// Done registra como a conexão c terminou: served=true se a resposta foi
// enviada, false se terminou por erro, ociosidade ou porque o cliente foi
// embora. Uma conexão que o prazo de parada já fechou não é contada de novo.
func (s *Server) Done(c net.Conn, served bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[c]; !ok {
		return
	}
	delete(s.conns, c)
	if served {
		s.served.Add(1)
	} else {
		s.failed.Add(1)
	}
	if s.stopping && len(s.conns) == 0 {
		close(s.drained)
	}
}

// Wait bloqueia para sempre: depois de um sinal, a goroutine da parada
// imprime o resumo e termina o processo com os.Exit(0).
func (s *Server) Wait() { select {} }

// Threads lê o número atual de threads do SO do processo (-1 se o sistema não
// informa) e atualiza o pico.
func (s *Server) Threads() int {
	n := proc.Threads()
	s.notePeak(n)
	return n
}

// notePeak guarda n como pico de threads se for o maior visto.
func (s *Server) notePeak(n int) {
	for {
		p := s.peakThreads.Load()
		if int64(n) <= p || s.peakThreads.CompareAndSwap(p, int64(n)) {
			return
		}
	}
}

// Active imprime a linha [ATIVO] (a menos que -q): as conexões em
// atendimento agora e os números do processo, para ver na tela o que a
// Questão 2 pergunta: "threads SO: 12 | RSS 8.1MiB (pico 9.0MiB) | CPU
// 0.12s | trocas 340v/12i".
func (s *Server) Active(conns int64) {
	if s.quiet {
		return // com -q nem lê /proc: o pico vem da amostragem
	}
	f := proc.Self()
	s.notePeak(f.Threads)
	s.Logf("[ATIVO] Conexões simultâneas: %d | %s", conns, f.Compact())
}

// sample amostra as threads do SO a cada 50 ms: o pico pode acontecer entre
// duas linhas [ATIVO].
func (s *Server) sample() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		s.Threads()
	}
}

func (s *Server) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// shutdown é a parada: fecha o socket de escuta (quem ainda está na fila do
// kernel recebe RST), espera as conexões em andamento até o prazo, fecha as
// que sobraram, imprime o resumo e sai com código 0.
func (s *Server) shutdown() {
	s.mu.Lock()
	s.stopping = true
	s.drained = make(chan struct{})
	if len(s.conns) == 0 {
		close(s.drained)
	}
	n := len(s.conns)
	s.mu.Unlock()
	close(s.stop)
	s.ln.Close()
	fmt.Printf("[PARANDO] Sinal recebido: não aceito mais conexões; %d em andamento, prazo %v.\n", n, s.grace)

	select {
	case <-s.drained:
	case <-time.After(s.grace):
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
			delete(s.conns, c)
			s.interrupted.Add(1)
		}
		s.mu.Unlock()
	}
	s.Threads()
	f := proc.Self()
	// f.Keys() começa por rss_pico= e traz CPU e trocas de contexto pelo
	// getrusage, que conta também as threads que já terminaram.
	line := fmt.Sprintf("[RESUMO SERVIDOR] atendidas=%d falhas=%d interrompidas=%d threads_pico=%s %s erros_accept=%d",
		s.served.Load(), s.failed.Load(), s.interrupted.Load(), count(s.peakThreads.Load()), f.Keys(),
		s.acceptErrors.Load())
	if s.Extra != nil {
		line += " " + s.Extra()
	}
	fmt.Println(line)
	os.Exit(0)
}

func count(n int64) string {
	if n < 0 {
		return "n/d"
	}
	return fmt.Sprint(n)
}

// Addr escreve o endereço do cliente como o Python imprime a tupla de
// getpeername(): ('127.0.0.1', 54321).
func Addr(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return fmt.Sprintf("('%s', %d)", a.IP, a.Port)
	}
	return fmt.Sprintf("(%q)", c.RemoteAddr())
}

// IsTimeout diz se err é o prazo de leitura (-ocioso) que venceu.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Linger fecha a conexão depois da resposta sem destruí-la. O Python faz só
// conn.close(): se o cliente mandou mais do que foi lido (mais de 1024
// bytes), o kernel fecha com RST em vez de FIN, e o RST pode apagar a
// resposta que ainda não foi lida do outro lado. Aqui, como o nginx:
// shutdown(SHUT_WR) manda o FIN depois da resposta; lemos e descartamos o
// que o cliente ainda mandar, até ele fechar (EOF) ou LingerMax; só então
// close(). Sempre fecha c.
//
// Só vale a pena depois de uma resposta: sem resposta a proteger, quem
// termina por erro ou ociosidade fecha direto (veja Close).
func Linger(c net.Conn) {
	defer c.Close()
	cw, ok := c.(interface{ CloseWrite() error })
	if !ok || cw.CloseWrite() != nil {
		return
	}
	c.SetReadDeadline(time.Now().Add(LingerMax))
	io.Copy(io.Discard, c)
}

// Close fecha a conexão: com Linger se a resposta foi enviada (served), direto
// se não (erro, ociosidade, cliente que foi embora: não há resposta a
// proteger, e esperar o cliente fechar só prenderia o servidor).
func Close(c net.Conn, served bool) {
	if served {
		Linger(c)
		return
	}
	c.Close()
}
