// Package loadclient é o que os dois clientes do laboratório (client e
// clientenervoso) têm em comum: N clientes que largam juntos, cada um com
// dois prazos (entrar e receber a resposta), o desfecho de cada um
// classificado em summary.Outcome, a linha de progresso e os dados da linha
// do tempo (internal/timeline).
//
// O passo a passo de cada cliente (as linhas que ele imprime) fica no main
// de cada programa, para ler ao lado do original Python:
//
//	func clienteNervoso(c *loadclient.Client) {
//		c.Logf("🟡 Tentando entrar...")
//		conn, err := c.Dial()           // connect() com prazo -connect-timeout
//		...
//		reply, err := c.ReadReply(conn) // lê até o servidor fechar (EOF)
//	}
//
// Cada cliente é uma goroutine e segura um único descritor (o seu socket):
// 19.000 clientes cabem num processo com limite de 20.000 descritores.
package loadclient

import (
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"roteiro2/internal/summary"
	"roteiro2/internal/wire"
)

// MaxReply é o limite do que um cliente aceita ler de uma resposta. Os
// servidores do laboratório respondem dezenas de bytes e fecham; um servidor
// que manda até 1 MiB e fecha é um sucesso (o log mostra o tamanho), e um que
// passa disso é um erro ("resposta grande demais"), em vez de prender o
// cliente até o prazo. Só os primeiros wire.MaxRead bytes ficam guardados
// para o log; o resto é contado e descartado.
const MaxReply = 1 << 20

// Config descreve uma rodada.
type Config struct {
	Addr           string        // destino, "127.0.0.1:65432" (IP literal: nada de DNS)
	ConnectTimeout time.Duration // prazo do connect(); 0 = sem prazo
	ReplyTimeout   time.Duration // prazo da resposta, contado a partir do connect; 0 = sem prazo
	// OneRead reproduz o original Python: um único recv(1024) com o seu
	// próprio prazo (settimeout vale para cada operação). Sem OneRead a
	// resposta é lida até o fim (EOF), dentro de ReplyTimeout.
	OneRead bool
	Origins int       // >1: espalha os endereços de origem por 127.0.0.1..127.0.0.Origins
	IDWidth int       // ids com zeros à esquerda nos logs ("07"); 0 = sem zeros
	Quiet   bool      // sem linhas por cliente
	Out     io.Writer // linhas por cliente (stdout)
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
	ReplyLen  int           // bytes recebidos
}

// Run coordena uma rodada: cria os clientes, solta todos juntos, recolhe os
// resultados.
type Run struct {
	cfg     Config
	dialers []net.Dialer // um por endereço de origem
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
	r := &Run{cfg: cfg, start: make(chan struct{}), results: make([]Result, n)}
	origins := max(1, cfg.Origins)
	r.dialers = make([]net.Dialer, origins)
	for k := range r.dialers {
		d := &r.dialers[k]
		d.Timeout = cfg.ConnectTimeout
		d.KeepAlive = -1 // conexões curtas: sem keep-alive
		if origins > 1 {
			d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(k+1))}
			d.Control = bindNoPort
		}
	}
	return r
}

// Go cria a goroutine do cliente i (1..n). Ela espera a largada (Start) e
// então roda fn. fn deve terminar com um desfecho registrado: ReadReply sem
// erro (sucesso) ou Fail.
func (r *Run) Go(i int, fn func(c *Client)) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		<-r.start
		c := &Client{ID: i, run: r, res: &r.results[i-1]}
		c.res.ID = i
		c.res.Connected = -1
		c.res.Start = time.Since(r.t0)
		fn(c)
		if !c.done {
			c.Fail(errors.New("cliente terminou sem desfecho"))
		}
	}()
}

// Start solta todos os clientes ao mesmo tempo (fecha o canal que todos
// esperam) e marca o instante zero da rodada.
func (r *Run) Start() {
	r.t0 = time.Now()
	close(r.start)
}

// Wait espera todos os clientes terminarem, mostrando o progresso se
// Config.Progress foi dado, e devolve os resultados na ordem dos ids.
func (r *Run) Wait() []Result {
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

// Resumo calcula a linha RESUMO a partir dos resultados.
func Resumo(results []Result) summary.Resumo {
	outcomes := make([]summary.Outcome, len(results))
	var times []time.Duration
	resetAfterReply := 0
	for i, res := range results {
		outcomes[i] = res.Outcome
		if res.Outcome == summary.Success {
			times = append(times, res.End)
		}
		if res.Outcome == summary.Reset && res.ReplyLen > 0 {
			resetAfterReply++ // a resposta chegou, e o RST depois dela
		}
	}
	r := summary.Make(outcomes, times)
	r.ResetAfterReply = resetAfterReply
	return r
}

// Client é um dos clientes da rodada, visto de dentro da sua goroutine.
type Client struct {
	ID   int
	run  *Run
	res  *Result
	in   bool      // o connect() deu certo
	when time.Time // quando a última operação falhou
	done bool
}

// Label é o id como aparece nos logs ("7", ou "07" com IDWidth 2).
func (c *Client) Label() string { return fmt.Sprintf("%0*d", c.run.cfg.IDWidth, c.ID) }

// Logf imprime "[CLIENTE id] texto" numa linha só (nada com Quiet). As
// goroutines escrevem sob um mutex, uma linha por vez, sem misturar.
func (c *Client) Logf(format string, args ...any) {
	if c.run.cfg.Quiet || c.run.cfg.Out == nil {
		return
	}
	line := fmt.Sprintf("[CLIENTE %s] ", c.Label()) + fmt.Sprintf(format, args...) + "\n"
	c.run.outMu.Lock()
	io.WriteString(c.run.cfg.Out, line)
	c.run.outMu.Unlock()
}

// Dial faz o connect() com o prazo de conexão. Conectar quer dizer que o
// kernel do servidor completou o handshake e pôs a conexão na fila de
// accept(); o programa servidor pode nem ter chamado accept() ainda.
func (c *Client) Dial() (net.Conn, error) {
	r := c.run
	d := &r.dialers[c.ID%len(r.dialers)]
	conn, err := d.Dial("tcp4", r.cfg.Addr)
	if err != nil {
		c.when = time.Now()
		return nil, err
	}
	c.in = true
	c.res.Connected = time.Since(r.t0)
	r.connected.Add(1)
	if !r.cfg.OneRead && r.cfg.ReplyTimeout > 0 {
		// Um prazo só para a troca inteira (envio e resposta completa).
		conn.SetDeadline(time.Now().Add(r.cfg.ReplyTimeout))
	}
	return conn, nil
}

// Send envia a mensagem inteira.
func (c *Client) Send(conn net.Conn, msg []byte) error {
	_, err := conn.Write(msg)
	if err != nil {
		c.when = time.Now()
	}
	return err
}

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

var discard = sync.Pool{New: func() any { return new([32 << 10]byte) }}

// ReadReply lê a resposta. Sem OneRead, lê até o servidor fechar (EOF): os
// servidores do laboratório respondem e fecham a escrita, então "a resposta
// chegou" é "chegou inteira"; o prazo é o de Dial. Com OneRead faz como o
// Python: um recv(1024) com prazo próprio. Em caso de sucesso registra o
// desfecho; em caso de erro, chame Fail.
func (c *Client) ReadReply(conn net.Conn) (Reply, error) {
	r := c.run
	head := make([]byte, wire.MaxRead)
	if r.cfg.OneRead {
		if r.cfg.ReplyTimeout > 0 {
			conn.SetReadDeadline(time.Now().Add(r.cfg.ReplyTimeout))
		}
		n, err := conn.Read(head)
		if n == 0 {
			if err == nil || errors.Is(err, io.EOF) {
				err = ErrNoReply
			}
			c.when = time.Now()
			return Reply{}, err
		}
		c.succeed(n)
		return Reply{Head: head[:n], Len: n}, nil
	}
	got, err := readFull(conn, head)
	if err == nil && got == 0 {
		err = ErrNoReply
	}
	if err == nil && closeWithRST {
		abortOnClose(conn)
	}
	if err != nil {
		c.when = time.Now()
		if got > 0 && err != ErrTooLarge {
			err = &Partial{Got: got, Head: head[:min(got, len(head))], Err: err}
		}
		return Reply{}, err
	}
	c.succeed(got)
	return Reply{Head: head[:min(got, len(head))], Len: got}, nil
}

// readFull lê até EOF; os primeiros len(head) bytes ficam em head, o resto é
// contado e descartado num buffer emprestado.
func readFull(conn net.Conn, head []byte) (int, error) {
	got := 0
	var scratch *[32 << 10]byte
	defer func() {
		if scratch != nil {
			discard.Put(scratch)
		}
	}()
	for {
		buf := head[min(got, len(head)):]
		if len(buf) == 0 {
			if scratch == nil {
				scratch = discard.Get().(*[32 << 10]byte)
			}
			buf = scratch[:]
		}
		n, err := conn.Read(buf)
		got += n
		if got > MaxReply {
			return got, ErrTooLarge
		}
		if errors.Is(err, io.EOF) {
			return got, nil
		}
		if err != nil {
			return got, err
		}
	}
}

// closeWithRST é a flag -fechar-com-rst (RegisterFlags): ReadReply a
// aplica sozinha, sem nada no main de cada cliente.
var closeWithRST bool

// abortOnClose faz o próximo Close da conexão mandar RST em vez de FIN
// (SO_LINGER 0). Depois da resposta inteira e do EOF nada se perde: o
// servidor já fechou (o FIN dele chegou), e o RST só apaga a conexão do
// lado dele, que sem isso ficaria 60 s em TIME_WAIT prendendo a porta para
// um servidor sem SO_REUSEADDR.
func abortOnClose(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
}

func (c *Client) succeed(n int) {
	c.res.ReplyLen = n
	c.finish(summary.Success, time.Now())
}

// Fail classifica err (veja Classify), registra o desfecho e o devolve.
func (c *Client) Fail(err error) summary.Outcome {
	o := Classify(err, c.in)
	when := c.when
	if when.IsZero() {
		when = time.Now()
	}
	var p *Partial
	if errors.As(err, &p) {
		c.res.ReplyLen = p.Got
	}
	c.finish(o, when)
	return o
}

func (c *Client) finish(o summary.Outcome, at time.Time) {
	if c.done {
		return
	}
	c.done = true
	c.res.Outcome = o
	c.res.End = at.Sub(c.run.t0)
	c.run.counts[o].Add(1)
	c.run.finished.Add(1)
}

// Classify diz qual desfecho um erro representa. gotIn diz se o connect()
// já tinha dado certo: um prazo estourado antes disso é timeout de conexão,
// depois é timeout de resposta.
//
//   - ECONNREFUSED → Refused. No Linux quer dizer que ninguém escuta na
//     porta (com a fila cheia o Linux descarta o SYN e o cliente expira); no
//     Windows a fila cheia também é recusada.
//   - ECONNRESET, EPIPE, ECONNABORTED → Reset: o outro lado derrubou a
//     conexão com RST — por exemplo, um servidor que fechou sem ler o que
//     recebeu (Linux, macOS), ou, no FreeBSD, a fila de accept cheia (o
//     syncache reseta no ACK final). Veja ResetText.
//   - prazo estourado (net.Error.Timeout) → ConnectTimeout ou ReplyTimeout.
//   - o resto (inclusive ErrNoReply e ErrTooLarge) → Other.
func Classify(err error, gotIn bool) summary.Outcome {
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
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		if gotIn {
			return summary.ReplyTimeout
		}
		return summary.ConnectTimeout
	}
	return summary.Other
}

// CheckOrigins confere que 127.0.0.1..127.0.0.k existem nesta máquina. No
// Linux todo o 127.0.0.0/8 responde no loopback; no macOS só 127.0.0.1 vem
// configurado (os outros exigem "ifconfig lo0 alias 127.0.0.2").
func CheckOrigins(k int) error {
	for i := 1; i <= k; i++ {
		ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.%d:0", i))
		if err != nil {
			return fmt.Errorf("o endereço de origem 127.0.0.%d não está disponível nesta máquina (%v); use um -origens menor", i, err)
		}
		ln.Close()
	}
	return nil
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
			"sem o FIN não dá para saber se a resposta veio inteira.", p.Got, Reply{Head: p.Head, Len: p.Got})
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
