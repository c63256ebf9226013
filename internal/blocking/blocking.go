// Package blocking reúne o que os três servidores bloqueantes (serverbloq,
// servergargalo e server) fazem do mesmo jeito e que nada tem a ver com a
// lição de cada um:
//
//   - o socket bloqueante (socket_unix.go, socket_windows.go): Listen,
//     Accept, Recv, Sleep, Send e Close chamam o sistema direto, e a thread
//     que chama dorme no kernel, como no Python;
//   - accept que sobrevive a erros (falta de descritores, EMFILE): registra,
//     espera um pouco e tenta de novo — nunca morre, nunca gira em falso;
//   - SIGINT/SIGTERM: para de aceitar, espera as conexões em andamento até o
//     prazo (-grace), encerra o resto e imprime a linha [RESUMO SERVIDOR];
//   - o fechamento demorado (lingering close) depois da resposta;
//   - o endereço do cliente no formato de tupla do Python.
//
// Cada main continua mostrando os passos do original (accept, recv, sleep,
// send, close); este pacote só cuida da contabilidade em volta deles.
//
// A conta do resumo, a mesma em todos os servidores: cada conexão aceita
// entra em exatamente uma chave. atendidas: a resposta inteira foi entregue
// ao kernel (o send terminou), mesmo que o fechamento demorado seja cortado
// depois pelo fim do prazo. interrompidas: a parada do servidor a encerrou
// antes disso (prazo vencido, ou aceita no instante do sinal). falhas: todo
// o resto (o cliente fechou ou resetou sem resposta, -ocioso, erro no send).
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

// LingerMax é o tempo máximo que o fechamento demorado espera o cliente
// terminar de enviar.
const LingerMax = 2 * time.Second

// Server acompanha as conexões de um servidor bloqueante: quantas estão
// abertas, como cada uma terminou e o pico de threads do SO.
//
// As conexões são *Conn (o socket bloqueante, de Accept) ou net.Conn (o
// modelo goroutine do server, de AcceptNet); os métodos que recebem uma
// conexão (Served, Close) aceitam as duas.
type Server struct {
	ln    *Listener    // New: socket bloqueante
	netLn net.Listener // NewNet: net.Listener, no netpoller do Go
	grace time.Duration
	quiet bool

	// Extra, se não for nil, acrescenta chaves ao fim da linha [RESUMO SERVIDOR].
	Extra func() string

	mu       sync.Mutex
	conns    map[any]*tracked // conexões aceitas e ainda não terminadas
	stopping bool
	drained  chan struct{} // fechado quando, parando, conns fica vazio
	stop     chan struct{} // fechado ao receber o sinal

	served, failed, interrupted atomic.Int64
	peakThreads                 atomic.Int64
	figures                     atomic.Pointer[proc.Figures] // a última leitura de refresher
	refresh                     chan struct{}                // Active pede uma releitura (sem -q)
	acceptErrors                atomic.Int64
	lastAcceptLog               time.Time // só a goroutine que chama Accept mexe
}

// tracked é o estado de uma conexão aberta.
type tracked struct {
	// replied: a resposta inteira foi entregue ao kernel; a conexão já está
	// contada em atendidas e o que falta é só o fechamento.
	replied bool
}

// New começa a acompanhar o servidor que escuta no socket bloqueante ln:
// instala o tratamento de SIGINT/SIGTERM e guarda o pico de threads do SO a
// cada conexão (Active). grace é o prazo das conexões em andamento na
// parada; quiet silencia as linhas por conexão (Logf).
//
// Nada aqui acorda periodicamente: uma amostragem a cada 50 ms somava ~250
// trocas de contexto por segundo ao servidor (medido com o serverbloq
// ocioso: 1.329 em 5 s, contra 53 sem ela) e estragava a coluna de trocas de
// contexto que o laboratório quer medir.
func New(ln *Listener, grace time.Duration, quiet bool) *Server {
	return start(&Server{ln: ln, grace: grace, quiet: quiet})
}

// NewNet é New para um net.Listener (o modelo goroutine do server).
func NewNet(ln net.Listener, grace time.Duration, quiet bool) *Server {
	return start(&Server{netLn: ln, grace: grace, quiet: quiet})
}

func start(s *Server) *Server {
	s.conns = make(map[any]*tracked)
	s.stop = make(chan struct{})
	s.peakThreads.Store(-1) // -1 = o sistema não informa (n/d)
	f := proc.Self()
	s.notePeak(f.Threads)
	s.figures.Store(&f)
	if !s.quiet {
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

// Logf imprime uma linha por conexão, a menos que -q tenha sido pedido.
// Várias threads podem chamar ao mesmo tempo: cada linha vai numa única
// escrita em os.Stdout, que o Go serializa.
func (s *Server) Logf(format string, args ...any) {
	if !s.quiet {
		fmt.Printf(format+"\n", args...)
	}
}

// Accept é o accept() do original: a thread que chama dorme no kernel até
// haver uma conexão completa na fila, e a conexão volta registrada como
// aberta. Devolve ok=false quando o servidor está parando (sinal recebido):
// quem chama então deve chamar Wait. Erros de accept (EMFILE, ENFILE,
// ENOBUFS...) não terminam o servidor: aparecem uma vez por episódio no log
// e o accept é tentado de novo depois de AcceptRetry.
func (s *Server) Accept() (c *Conn, ok bool) {
	return accept(s, s.ln.Accept, s.ln.Close, (*Conn).Close)
}

// AcceptNet é Accept para o net.Listener de NewNet: quem espera é a
// goroutine, estacionada no netpoller do Go, não uma thread no kernel.
func (s *Server) AcceptNet() (c net.Conn, ok bool) {
	return accept(s, s.netLn.Accept, s.netLn.Close, net.Conn.Close)
}

// accept é o laço comum a Accept e AcceptNet. Só a goroutine que aceita
// fecha o socket de escuta (closeLn), e depois disso nunca volta a chamar
// next: fechar o descritor enquanto outra thread pode chamar accept nele de
// novo seria aceitar num descritor que o kernel talvez já tenha dado a outro
// arquivo.
func accept[C any](s *Server, next func() (C, error), closeLn func() error, closeConn func(C) error) (C, bool) {
	var none C
	for {
		if s.isStopping() {
			closeLn()
			return none, false
		}
		c, err := next()
		if err != nil {
			if s.isStopping() {
				closeLn()
				return none, false
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
			closeConn(c)
			s.interrupted.Add(1)
			closeLn()
			return none, false
		}
		s.conns[c] = &tracked{}
		s.mu.Unlock()
		return c, true
	}
}

// Served registra que a resposta inteira de c foi entregue ao kernel (o send
// terminou): c já conta como atendida, mesmo que o fechamento demorado que
// vem depois seja cortado pelo fim do prazo de parada.
func (s *Server) Served(c any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.conns[c]; ok && !t.replied {
		t.replied = true
		s.served.Add(1)
	}
}

// Close é o conn.close() do original, mais a conta do resumo. Depois de uma
// resposta (Served) o fechamento é demorado (veja Linger): um pedido maior
// que 1024 bytes não transforma o FIN em RST. Sem resposta a proteger (erro,
// ociosidade, cliente que foi embora) fecha direto. Uma conexão que termina
// sem Served conta como falha, a menos que a parada já a tenha contado como
// interrompida.
func (s *Server) Close(c any) {
	s.mu.Lock()
	t, open := s.conns[c]
	replied := open && t.replied
	s.mu.Unlock()

	switch c := c.(type) {
	case *Conn:
		if replied {
			c.Linger()
		} else {
			c.Close()
		}
	case net.Conn:
		if replied {
			Linger(c)
		} else {
			c.Close()
		}
	default:
		panic(fmt.Sprintf("blocking: Close de %T, que não é conexão", c))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[c]; !ok {
		return // a parada já a encerrou e contou
	}
	delete(s.conns, c)
	if !replied {
		s.failed.Add(1)
	}
	if s.stopping && len(s.conns) == 0 {
		close(s.drained)
	}
}

// abort encerra c de outra goroutine (fim do prazo de parada). No socket
// bloqueante é shutdown(2), não close(2): o descritor continua de quem o usa,
// e a thread que dorme em recv acorda com fim de arquivo.
func abort(c any) {
	switch c := c.(type) {
	case *Conn:
		c.Abort()
	case net.Conn:
		c.Close() // o pacote net aceita Close de outra goroutine
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

// Active anota o pico de threads e imprime a linha [ATIVO] (a menos que
// -q): as conexões em atendimento agora e os números do processo, para ver
// na tela o que a Questão 2 pergunta: "threads SO: 12 | RSS 8.1MiB (pico
// 9.0MiB) | CPU 0.12s | trocas 340v/12i".
//
// O instrumento não pode mudar o que mede: Active roda no caminho do accept.
// O pico vem de proc.GoThreads (~0,2 µs, também com -q: no modelo thread as
// threads só crescem quando uma conexão é aceita). A linha lê o número de
// threads do kernel (a linha Threads: de /proc/self/status, que custa o
// mesmo com 10 ou com 10.000 threads); memória, CPU e trocas de contexto vêm
// da última leitura de refresher, porque o getrusage que as dá percorre
// todas as threads do processo dentro do kernel e, com milhares de threads,
// atrasaria o próprio accept que a linha descreve.
func (s *Server) Active(conns int64) {
	s.notePeak(proc.GoThreads())
	if s.quiet {
		return
	}
	f := *s.figures.Load()
	f.Threads = s.Threads()
	select { // pede uma releitura, sem nunca esperar por ela
	case s.refresh <- struct{}{}:
	default:
	}
	s.Logf("[ATIVO] Conexões simultâneas: %d | %s", conns, f.Compact())
}

// refresher relê os números das linhas [ATIVO] quando Active pede, no
// máximo 4 vezes por segundo, fora do caminho do accept. Servidor ocioso:
// nenhuma leitura, nenhuma troca de contexto.
func (s *Server) refresher() {
	for range s.refresh {
		f := proc.Self()
		s.notePeak(f.Threads)
		s.figures.Store(&f)
		time.Sleep(250 * time.Millisecond)
	}
}

func (s *Server) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// shutdown é a parada: acorda o accept (o socket de escuta deixa de
// escutar; quem ainda está na fila do kernel recebe RST), espera as conexões
// em andamento até o prazo, encerra as que sobraram, imprime o resumo e sai
// com código 0.
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
	if s.ln != nil {
		s.ln.Wake()
	} else {
		s.netLn.Close() // o pacote net acorda o Accept com um erro
	}
	fmt.Printf("[PARANDO] Sinal recebido: não aceito mais conexões; %d em andamento, prazo %v.\n", n, s.grace)

	select {
	case <-s.drained:
	case <-time.After(s.grace):
		s.mu.Lock()
		for c, t := range s.conns {
			abort(c)
			delete(s.conns, c)
			if !t.replied { // respondida já está em atendidas
				s.interrupted.Add(1)
			}
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
		return tuple(a.IP.String(), a.Port)
	}
	return fmt.Sprintf("(%q)", c.RemoteAddr())
}

func tuple(ip string, port int) string { return fmt.Sprintf("('%s', %d)", ip, port) }

// IsTimeout diz se err é o prazo de leitura (-ocioso) que venceu, no socket
// bloqueante (SO_RCVTIMEO) ou num net.Conn (SetReadDeadline).
func IsTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// Linger fecha um net.Conn depois da resposta sem destruí-la. O Python faz
// só conn.close(): se o cliente mandou mais do que foi lido (mais de 1024
// bytes), o kernel fecha com RST em vez de FIN, e o RST pode apagar a
// resposta que ainda não foi lida do outro lado. Aqui, como o nginx:
// shutdown(SHUT_WR) manda o FIN depois da resposta; lemos e descartamos o
// que o cliente ainda mandar, até ele fechar (EOF) ou LingerMax; só então
// close(). Sempre fecha c. (Conn.Linger é o mesmo no socket bloqueante.)
func Linger(c net.Conn) {
	defer c.Close()
	cw, ok := c.(interface{ CloseWrite() error })
	if !ok || cw.CloseWrite() != nil {
		return
	}
	c.SetReadDeadline(time.Now().Add(LingerMax))
	io.Copy(io.Discard, c)
}
