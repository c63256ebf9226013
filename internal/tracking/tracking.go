// Package tracking é o que o porte acrescenta em volta dos passos dos
// servidores bloqueantes (serverbloq, servergargalo e server), sem aparecer
// entre eles: o main.go de cada um continua sendo o .py, e este pacote é
// avisado de cada accept e de cada close pelo socket.Observer.
//
//   - a conta do resumo: cada conexão aceita termina em exatamente uma chave
//     da linha [RESUMO SERVIDOR];
//   - Ctrl-C (SIGINT) e SIGTERM: para de aceitar, espera as conexões em
//     andamento até o prazo (-grace), encerra o resto, imprime o resumo e
//     sai com 0; um segundo Ctrl-C termina na hora;
//   - o fechamento com espera depois de uma resposta (Closing);
//   - o -ocioso (SO_RCVTIMEO em cada conexão aceita);
//   - um accept que falha (EMFILE...) não derruba o servidor: uma linha no
//     log a cada 5 s, uma pausa, e nova tentativa;
//   - os números do processo (threads do SO, memória, CPU) das linhas
//     [ATIVO] e o pico de threads.
//
// A conta do resumo, a mesma em todos os servidores: atendidas = a resposta
// inteira foi entregue ao kernel (o send terminou), mesmo que o fechamento
// demorado seja cortado depois pelo fim do prazo; interrompidas = a parada
// a encerrou antes disso (prazo vencido, ou aceita no instante do sinal);
// falhas = todo o resto (o cliente fechou ou resetou sem resposta, -ocioso,
// erro no send).
package tracking

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"roteiro2/internal/proc"
	"roteiro2/internal/socket"
)

// AcceptRetry é a pausa depois de um accept que falhou (por exemplo EMFILE:
// o processo chegou ao limite de descritores). A conexão continua na fila do
// kernel; tentar de novo sem pausa só queimaria CPU.
const AcceptRetry = 100 * time.Millisecond

// AcceptLogEvery é o intervalo mínimo entre duas linhas de erro de accept.
const AcceptLogEvery = 5 * time.Second

// LingerMax é o tempo máximo que o fechamento com espera aguarda o cliente
// terminar de enviar.
const LingerMax = 2 * time.Second

// ErrStopped é o que Accept devolve depois do Ctrl-C: o servidor parou de aceitar.
var ErrStopped = errors.New("o servidor está parando")

// Config ajusta o acompanhamento; vem das flags de cada servidor.
type Config struct {
	Grace time.Duration // prazo das conexões em andamento na parada
	Idle  time.Duration // -ocioso: prazo de cada recv (0: sem prazo)
	Quiet bool          // -q: sem linhas por conexão
	// Extra, se não for nil, acrescenta chaves ao fim da linha [RESUMO SERVIDOR].
	Extra func() string
}

// Conn é o que a conta precisa de uma conexão: se a resposta já foi
// entregue, e como acordá-la de outra goroutine no fim do prazo da parada.
// *socket.Sock serve; o modelo goroutine do server embrulha o seu net.Conn.
type Conn interface {
	Replied() bool
	Shutdown(how int) error
}

// Server acompanha um servidor. Crie com New; para um socket de escuta do
// pacote socket, Watch liga tudo pelo Observer.
type Server struct {
	cfg  Config
	wake func() // acorda o accept bloqueado na parada (Watch ou SetWake)

	mu       sync.Mutex
	conns    map[Conn]bool // abertas; true = já contada como atendida (fechamento com espera)
	stopping bool
	drained  chan struct{} // fechado quando, parando, conns fica vazio
	stop     chan struct{} // fechado ao receber o sinal
	wakeFrom atomic.Int64  // a porta de origem da conexão de despertar (fora do Linux)

	served, failed, interrupted, acceptErrors atomic.Int64
	peakThreads                               atomic.Int64
	figures                                   atomic.Pointer[proc.Figures] // a última leitura de refresher
	refresh                                   chan struct{}                // Figures pede uma releitura
	lastAcceptLog                             time.Time                    // só a goroutine do accept mexe
}

// New começa a acompanhar: instala o tratamento de SIGINT/SIGTERM e lê os
// números do processo. Nada aqui acorda periodicamente: uma amostragem a
// cada 50 ms somava ~250 trocas de contexto por segundo ao servidor
// (medido com o serverbloq ocioso: 1.329 em 5 s, contra 53 sem ela) e
// estragava a coluna de trocas de contexto que o laboratório quer medir.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, conns: make(map[Conn]bool), stop: make(chan struct{})}
	s.peakThreads.Store(-1) // -1 = o sistema não informa (n/d)
	f := proc.Self()
	s.notePeak(f.Threads)
	s.figures.Store(&f)
	if !cfg.Quiet {
		s.refresh = make(chan struct{}, 1)
		go s.refresher()
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		// Um segundo Ctrl-C (ou SIGTERM) durante a espera termina na hora:
		// volta a ação padrão do sinal, que mata o processo.
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		s.shutdown()
	}()
	return s
}

// Watch liga s ao socket de escuta ln: ln.Observer = s, e a parada acorda o
// accept de ln (wakeListener). Devolve a porta em que ln escuta (com a
// porta 0, a que o kernel escolheu).
func (s *Server) Watch(ln *socket.Sock) int {
	ln.Observer = s
	s.wake = func() { s.wakeListener(ln) }
	a, _ := ln.Getsockname()
	return a.Port
}

// SetWake diz como acordar o accept na parada, para quem não usa Watch
// (o modelo goroutine: fechar o net.Listener).
func (s *Server) SetWake(wake func()) { s.wake = wake }

// Logf imprime uma linha por conexão, a menos que -q. Várias threads podem
// chamar ao mesmo tempo: cada linha vai numa única escrita em os.Stdout,
// que o Go serializa.
func (s *Server) Logf(format string, args ...any) {
	if !s.cfg.Quiet {
		fmt.Printf(format+"\n", args...)
	}
}

// Accepted (socket.Observer) registra a conexão nova e lhe dá o prazo -ocioso.
func (s *Server) Accepted(c *socket.Sock, addr socket.Addr) error {
	if p := s.wakeFrom.Load(); p != 0 && int64(addr.Port) == p {
		return ErrStopped // a conexão de despertar da parada: não é cliente
	}
	c.SetRecvTimeout(s.cfg.Idle)
	if !s.Opened(c) {
		return ErrStopped
	}
	return nil
}

// Opened registra uma conexão aceita. Devolve false se o servidor já está
// parando: ela foi aceita no instante do sinal, conta como interrompida, e
// quem chamou a fecha e para de aceitar.
func (s *Server) Opened(c Conn) bool {
	s.notePeak(proc.GoThreads())
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		s.interrupted.Add(1)
		return false
	}
	s.conns[c] = false
	return true
}

// AcceptFailed (socket.Observer): parando, o accept acabou; senão o erro
// (EMFILE, ENFILE, ENOBUFS...) vai para o log no máximo a cada
// AcceptLogEvery, e o accept é tentado de novo depois de AcceptRetry.
func (s *Server) AcceptFailed(err error) error {
	if s.isStopping() {
		return ErrStopped
	}
	s.acceptErrors.Add(1)
	if time.Since(s.lastAcceptLog) >= AcceptLogEvery {
		s.lastAcceptLog = time.Now()
		fmt.Printf("[ERRO] accept falhou: %v — a conexão segue na fila do kernel; nova tentativa a cada %v\n", err, AcceptRetry)
	}
	select {
	case <-time.After(AcceptRetry):
		return nil
	case <-s.stop:
		return ErrStopped
	}
}

// Closing (socket.Observer) é o conn.close() com a conta do resumo. Depois
// de uma resposta o fechamento é demorado (Linger): um pedido maior que o
// recv(1024) leu não transforma o FIN em RST. Sem resposta a proteger
// (erro, -ocioso, cliente que foi embora) fecha direto.
func (s *Server) Closing(c *socket.Sock) bool {
	replied := s.Replying(c)
	if replied {
		Linger(c)
	} else {
		c.CloseNow()
	}
	s.Finished(c)
	return true
}

// Replying conta c como atendida se a resposta já foi entregue; a conexão
// continua em andamento até Finished (o fechamento com espera ainda roda).
func (s *Server) Replying(c Conn) bool {
	if !c.Replied() {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if counted, open := s.conns[c]; open && !counted {
		s.conns[c] = true
		s.served.Add(1)
	}
	return true
}

// Finished tira c das conexões em andamento; sem resposta, é uma falha
// (a menos que a parada já a tenha contado como interrompida).
func (s *Server) Finished(c Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	counted, open := s.conns[c]
	if !open {
		return // a parada já a encerrou e contou
	}
	delete(s.conns, c)
	if !counted {
		s.failed.Add(1)
	}
	if s.stopping && len(s.conns) == 0 {
		close(s.drained)
	}
}

// Linger é o fechamento com espera (lingering close, como o nginx). O Python
// faz só conn.close(): se o cliente mandou mais do que foi lido, o kernel
// fecha com RST em vez de FIN, e o RST pode apagar a resposta que o cliente
// ainda não leu. Aqui: shutdown(SHUT_WR) manda o FIN depois da resposta; o
// que o cliente ainda mandar é lido e descartado, até ele fechar (EOF) ou
// LingerMax; só então close(). Sempre fecha c.
func Linger(c *socket.Sock) {
	defer c.CloseNow()
	if c.Shutdown(socket.SHUT_WR) != nil {
		return
	}
	end := time.Now().Add(LingerMax)
	for left := LingerMax; left > 0; left = time.Until(end) {
		c.SetRecvTimeout(left)
		if b, err := c.Recv(4096); len(b) == 0 || err != nil {
			return
		}
	}
}

func (s *Server) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// Wait espera o fim da parada: depois de um sinal, Accept devolve
// ErrStopped, o main.go sai do laço e chama Wait; a goroutine da parada
// espera as conexões em andamento, imprime o resumo e termina o processo.
func (s *Server) Wait() {
	<-s.stop
	select {} // a goroutine da parada chama os.Exit
}

// shutdown é a parada: acorda o accept (o socket de escuta deixa de
// escutar; quem ainda está na fila do kernel recebe RST), espera as conexões
// em andamento até o prazo, encerra as que sobraram, imprime o resumo e sai
// com código 0.
func (s *Server) shutdown() {
	s.mu.Lock()
	s.stopping = true
	s.drained = make(chan struct{})
	n := len(s.conns)
	if n == 0 {
		close(s.drained)
	}
	s.mu.Unlock()
	close(s.stop)
	if s.wake != nil {
		s.wake()
	}
	fmt.Printf("[PARANDO] Sinal recebido: não aceito mais conexões; %d em andamento, prazo %v.\n", n, s.cfg.Grace)

	select {
	case <-s.drained:
	case <-time.After(s.cfg.Grace):
		s.mu.Lock()
		for c, counted := range s.conns {
			c.Shutdown(socket.SHUT_RDWR) // acorda a thread que dorme em recv nela (recv devolve b"")
			delete(s.conns, c)
			switch {
			case counted: // já contada: só esperava o fim do fechamento com espera
			case c.Replied():
				s.served.Add(1) // a resposta foi entregue; faltava só o close
			default:
				s.interrupted.Add(1)
			}
		}
		s.mu.Unlock()
	}
	s.notePeak(proc.GoThreads())
	f := proc.Self()
	s.notePeak(f.Threads)
	// f.Keys() começa por rss_pico= e traz CPU e trocas de contexto pelo
	// getrusage, que conta também as threads que já terminaram.
	line := fmt.Sprintf("[RESUMO SERVIDOR] atendidas=%d falhas=%d interrompidas=%d threads_pico=%s %s erros_accept=%d",
		s.served.Load(), s.failed.Load(), s.interrupted.Load(), count(s.peakThreads.Load()), f.Keys(),
		s.acceptErrors.Load())
	if s.cfg.Extra != nil {
		line += " " + s.cfg.Extra()
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
