// Package loadclient é o que os dois clientes do laboratório (client e
// clientenervoso) acrescentam aos passos dos .py, que ficam no main.go de
// cada um: N clientes que largam juntos, o desfecho de cada um classificado
// (summary.Outcome) para a linha RESUMO, a linha de progresso e os tempos da
// linha do tempo (internal/timeline).
//
// Cada cliente é uma goroutine com um único socket (internal/socket, com o
// prazo do settimeout esperando no netpoller do Go): 19.000 clientes cabem
// num processo com limite de 20.000 descritores, sem 19.000 threads.
package loadclient

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
	"roteiro2/internal/wire"
)

// MaxReply é o limite do que um cliente aceita ler de uma resposta. Os
// servidores do laboratório respondem dezenas de bytes e fecham; um servidor
// que manda até 1 MiB e fecha é um sucesso, e um que passa disso é um erro
// ("resposta grande demais"), em vez de prender o cliente até o prazo.
const MaxReply = 1 << 20

// Config descreve uma rodada.
type Config struct {
	Quiet bool      // sem linhas por cliente
	Out   io.Writer // linhas por cliente (stdout)
	// Progress recebe a linha de progresso (stderr); nil = sem progresso.
	Progress io.Writer
}

// Result é o que se guarda de cada cliente (pouco: a rodada pode ter
// dezenas de milhares). Tempos contados a partir da largada comum.
type Result struct {
	ID        int
	Outcome   summary.Outcome
	Start     time.Duration // quando começou a tentar
	Connected time.Duration // quando o connect() voltou com sucesso; -1 se não entrou
	End       time.Duration // quando terminou: resposta completa ou erro
}

// Run coordena uma rodada: cria os clientes, solta todos juntos, recolhe os
// resultados.
type Run struct {
	cfg     Config
	start   chan struct{}
	t0      time.Time
	results []Result
	wg      sync.WaitGroup

	outMu     sync.Mutex
	connected atomic.Int64
	finished  atomic.Int64
	counts    [summary.Other + 1]atomic.Int64
}

// New prepara uma rodada de n clientes, numerados de 1 a n.
func New(cfg Config, n int) *Run {
	return &Run{cfg: cfg, start: make(chan struct{}), results: make([]Result, n)}
}

// Go cria a goroutine do cliente id (1..n): ela espera a largada comum
// (Wait) e roda f(id), que devolve o erro que encerrou o cliente (nil:
// sucesso). É o threading.Thread(target=f, args=(id,)).start() do .py.
func (r *Run) Go(id int, f func(id int) error) {
	res := &r.results[id-1]
	res.ID, res.Connected = id, -1
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		<-r.start
		res.Start = time.Since(r.t0)
		o := Classify(f(id))
		res.Outcome, res.End = o, time.Since(r.t0)
		r.counts[o].Add(1)
		r.finished.Add(1)
	}()
}

// Entered anota que o connect() do cliente id deu certo (a linha do tempo
// mostra a espera para entrar e a espera pela resposta).
func (r *Run) Entered(id int) {
	r.results[id-1].Connected = time.Since(r.t0)
	r.connected.Add(1)
}

// Wait solta todos os clientes ao mesmo tempo (fecha o canal que todos
// esperam), marca o instante zero, espera todos terminarem (o join() de cada
// thread), mostrando o progresso se Config.Progress foi dado, e devolve os
// resultados na ordem dos ids.
func (r *Run) Wait() []Result {
	r.t0 = time.Now()
	close(r.start)
	stop := make(chan struct{})
	var pw sync.WaitGroup
	if r.cfg.Progress != nil {
		pw.Add(1)
		go func() { defer pw.Done(); r.progress(stop) }()
	}
	r.wg.Wait()
	close(stop)
	pw.Wait()
	return r.results
}

// Printf imprime uma linha (nada com Quiet). As goroutines escrevem sob um
// mutex, uma linha por vez, sem misturar.
func (r *Run) Printf(format string, args ...any) {
	if r.cfg.Quiet || r.cfg.Out == nil {
		return
	}
	line := fmt.Sprintf(format+"\n", args...)
	r.outMu.Lock()
	io.WriteString(r.cfg.Out, line)
	r.outMu.Unlock()
}

// Resumo calcula a linha RESUMO a partir dos resultados.
func Resumo(results []Result) summary.Resumo {
	outcomes := make([]summary.Outcome, len(results))
	var times []time.Duration
	for i, res := range results {
		outcomes[i] = res.Outcome
		if res.Outcome == summary.Success {
			times = append(times, res.End)
		}
	}
	return summary.Make(outcomes, times)
}

// Erros de resposta que não vêm do sistema.
var (
	ErrNoReply  = errors.New("o servidor fechou a conexão sem responder")
	ErrTooLarge = fmt.Errorf("a resposta passou de %d bytes; o cliente desistiu de ler", MaxReply)
)

// Partial envolve o erro que interrompeu uma resposta já começada.
type Partial struct {
	Got  int    // bytes recebidos antes do erro
	Head []byte // os primeiros desses bytes (até wire.MaxRead), para o log
	Err  error
}

func (p *Partial) Error() string {
	return fmt.Sprintf("recebeu %d bytes e a resposta não terminou: %v", p.Got, p.Err)
}
func (p *Partial) Unwrap() error { return p.Err }

// Reply é a resposta recebida: os primeiros bytes (até wire.MaxRead) e o
// tamanho total.
type Reply struct {
	Head []byte
	Len  int
}

// String é a resposta pronta para o log (bytes escapados por wire.Quote),
// com o tamanho total quando ela não coube em wire.MaxRead bytes.
func (p Reply) String() string {
	if p.Len > len(p.Head) {
		return fmt.Sprintf("%s… (%d bytes no total)", wire.Quote(p.Head), p.Len)
	}
	return wire.Quote(p.Head)
}

// ReadToEOF lê o resto da resposta, depois dos primeiros bytes (head, o
// recv(1024) do .py), até o servidor fechar (EOF) ou o prazo vencer: os
// servidores do laboratório respondem e fecham, então "a resposta chegou" é
// "chegou inteira", e só o FIN diz isso (um RST no fim é um erro: Partial).
// Guarda os primeiros wire.MaxRead bytes, para o log; o resto é contado e
// descartado. head vazio: ErrNoReply.
func ReadToEOF(s *socket.Sock, head []byte, deadline time.Time) (Reply, error) {
	if len(head) == 0 {
		return Reply{}, ErrNoReply
	}
	r := Reply{Head: head, Len: len(head)}
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return r, &Partial{Got: r.Len, Head: r.Head, Err: &socket.Error{Op: "recv", Err: socket.ErrTimeout}}
		}
		s.SetTimeout(left)
		b, err := s.Recv(32 << 10)
		r.Len += len(b)
		if len(r.Head) < wire.MaxRead {
			r.Head = append(r.Head, b[:min(len(b), wire.MaxRead-len(r.Head))]...)
		}
		switch {
		case err != nil:
			return r, &Partial{Got: r.Len, Head: r.Head, Err: err}
		case r.Len > MaxReply:
			return r, ErrTooLarge
		case len(b) == 0:
			return r, nil // EOF: a resposta inteira
		}
	}
}

// Deadline é o fim do prazo da resposta do cliente id: timeout depois de
// ele entrar (Entered).
func (r *Run) Deadline(id int, timeout time.Duration) time.Time {
	return r.t0.Add(r.results[id-1].Connected + timeout)
}

// Late explica um erro de prazo da resposta: "a resposta não chegou em 10s",
// ou "recebeu 12 bytes, mas a resposta não terminou em 10s".
func Late(err error, timeout time.Duration) string {
	if p, ok := errors.AsType[*Partial](err); ok && p.Got > 0 {
		return fmt.Sprintf("recebeu %d bytes, mas a resposta não terminou em %v", p.Got, timeout)
	}
	return fmt.Sprintf("a resposta não chegou em %v", timeout)
}

// Classify diz qual desfecho um erro representa.
//
//   - ECONNREFUSED → Refused. No Linux quer dizer que ninguém escuta na
//     porta (com a fila cheia o Linux descarta o SYN e o cliente expira); no
//     Windows a fila cheia também é recusada.
//   - ECONNRESET, EPIPE, ECONNABORTED → Reset: o outro lado derrubou a
//     conexão com RST — por exemplo, um servidor que fechou sem ler o que
//     recebeu (Linux, macOS), ou, no FreeBSD, a fila de accept cheia (o
//     syncache reseta no ACK final). Veja ResetText.
//   - prazo vencido: no connect é ConnectTimeout; depois, ReplyTimeout.
//   - o resto (inclusive ErrNoReply e ErrTooLarge) → Other.
func Classify(err error) summary.Outcome {
	if err == nil {
		return summary.Success
	}
	for _, e := range refusedErrs {
		if errors.Is(err, e) {
			return summary.Refused
		}
	}
	for _, e := range resetErrs {
		if errors.Is(err, e) {
			return summary.Reset
		}
	}
	if socket.IsTimeout(err) {
		if se, ok := errors.AsType[*socket.Error](err); ok && se.Op == "connect" {
			return summary.ConnectTimeout
		}
		return summary.ReplyTimeout
	}
	return summary.Other
}

// ResetText explica, para o log, um erro classificado como summary.Reset.
// sent diz se o cliente tinha enviado a sua tarefa.
//
// O caso que um aluno encontra: um servidor que nunca lê (o
// servergargalo.py do laboratório) responde e fecha o socket com a tarefa
// do cliente ainda não lida. No Linux e no macOS o kernel então manda RST
// em vez de FIN (docs/fila-do-kernel.md, seção 4). Os bytes da resposta
// chegam, mas a conexão não termina no FIN, e sem o FIN o cliente não tem
// como saber se a resposta estava inteira: por isso continua sendo
// "resetado", não sucesso. O texto diz o que se sabe (quantos bytes
// chegaram, qual regra do kernel produz esse RST), sem afirmar a causa, que
// o cliente não vê: um servidor que aborta a conexão (SO_LINGER 0) produz o
// mesmo.
func ResetText(err error, sent bool) string {
	var b strings.Builder
	p, ok := errors.AsType[*Partial](err)
	replied := ok && p.Got > 0
	if replied {
		fmt.Fprintf(&b, "chegaram %d bytes (%s), mas a conexão terminou em RST, não em FIN: "+
			"sem o FIN não dá para saber se a resposta veio inteira.", p.Got, wire.Quote(p.Head))
	} else {
		fmt.Fprintf(&b, "o servidor derrubou a conexão (RST) sem responder: %v.", err)
	}
	if sent {
		b.WriteString(" No Linux e no macOS, o kernel do servidor manda RST quando o programa fecha " +
			"o socket sem ter lido tudo o que recebeu: um servidor que nunca lê a tarefa que enviamos termina assim.")
	}
	if !replied && runtime.GOOS == "freebsd" {
		b.WriteString(" No FreeBSD é também assim que a fila de accept cheia aparece: o syncache " +
			"respondeu ao SYN e resetou a conexão no ACK final.")
	}
	return b.String()
}

// CheckOrigins confere que 127.0.0.1..127.0.0.k existem nesta máquina. No
// Linux todo o 127.0.0.0/8 responde no loopback; no macOS só 127.0.0.1 vem
// configurado (os outros exigem "ifconfig lo0 alias 127.0.0.2").
func CheckOrigins(k int) error {
	for i := 1; i <= k; i++ {
		s, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
		if err == nil {
			err = s.Bind(fmt.Sprintf("127.0.0.%d", i), 0)
			s.Close()
		}
		if err != nil {
			return fmt.Errorf("o endereço de origem 127.0.0.%d não está disponível nesta máquina (%v); use um -origens menor", i, err)
		}
	}
	return nil
}
