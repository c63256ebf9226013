package reactor

import (
	"errors"
	"time"
)

// A camada de streams: a conexão como o asyncio a entrega a handle_client
// (o par StreamReader/StreamWriter), por cima dos callbacks do núcleo. Cada
// operação recebe a continuação, o que fazer quando ela terminar; é o que o
// await faz por baixo: a corrotina devolve o controle ao laço, e o laço a
// retoma de um callback.
//
//	asyncio                              reactor
//	data = await reader.read(1024)       c.Read(1024, func(data []byte, err error) { ... })
//	await asyncio.sleep(5)               c.Sleep(5*time.Second, func() { ... })
//	writer.write(msg)                    c.Write(msg)
//	await writer.drain()                 c.Drain(func(err error) { ... })
//	writer.close()                       c.Close()
//	await writer.wait_closed()           c.WaitClosed(func(err error) { ... })
//	writer.get_extra_info('peername')    c.Peername()
//
// Como no asyncio, a camada de streams é um Handler do núcleo, e os
// callbacks do núcleo são os métodos do Protocol do asyncio:
//
//	núcleo (Handler)   asyncio.Protocol       o que streamHandler faz
//	OnOpen             connection_made        chama handle(c), a "corrotina"
//	OnData             data_received          entrega ao Read pendente, ou guarda
//	OnEOF              eof_received           Read pendente recebe fim (b""); fica aberta
//	OnClose            connection_lost        continuações pendentes recebem o erro

// maxBuffered é o limite do que fica recebido e não lido (como o limit de
// 64 KiB do StreamReader): acima disso o laço para de ler a conexão.
const maxBuffered = 64 << 10

// Observer é avisado, na thread do laço, do que o programa acrescenta em
// volta de handle sem mexer nele (a contabilidade do server_async): o início
// e o fim do laço e cada conexão que abre e fecha.
type Observer interface {
	Started(l *Loop)
	Opened(c *Conn)
	Closed(c *Conn, err error)
	Stopped(l *Loop)
}

// streamHandler é o Handler do núcleo que vira streams (veja a tabela acima).
type streamHandler struct {
	handle func(c *Conn)
	obs    Observer
}

func (h *streamHandler) OnOpen(c *Conn) {
	h.handle(c)
	c.settle()
	if h.obs != nil {
		h.obs.Opened(c)
	}
}

// settle roda depois de handle e de cada continuação: se a "corrotina" não
// pediu mais nada (nenhum Read, Sleep, Drain ou WaitClosed pendente) e não
// fechou a conexão, ela terminou, e o laço fecha a conexão por ela, como o
// asyncio fecha o transporte de um StreamWriter abandonado. Sem isso, uma
// conexão esquecida ficaria aberta para sempre.
func (c *Conn) settle() {
	if c.state == open && c.read == nil && c.wake == nil && c.done == nil {
		c.Close()
	}
}

func (h *streamHandler) OnData(c *Conn, in []byte) {
	if c.read != nil {
		c.t.Stop() // o prazo do Read
		n := min(len(in), int(c.want))
		c.deliver(append([]byte(nil), in[:n]...), nil)
		in = in[n:]
	}
	if len(in) > 0 {
		c.in = append(c.in, in...)
		if len(c.in) >= maxBuffered && !c.paused {
			c.paused = true
			c.watch()
		}
	}
}

// OnEOF: como o eof_received do StreamReaderProtocol, a conexão fica aberta
// (a resposta ainda pode sair); um Read pendente recebe o fim: b"".
func (h *streamHandler) OnEOF(c *Conn) bool {
	if c.read != nil && len(c.in) == 0 {
		c.t.Stop()
		c.deliver(nil, nil)
	}
	return true
}

// OnClose: o fim da conexão. Quem esperava algo dela recebe o erro (ou
// ErrClosed); o Sleep pendente não, ele só depende do relógio.
func (h *streamHandler) OnClose(c *Conn, err error) {
	why := err
	if why == nil {
		why = ErrClosed
	}
	if c.read != nil {
		c.deliver(nil, why)
	}
	if k := c.done; k != nil {
		c.done = nil
		k(err)
	}
	if h.obs != nil {
		h.obs.Closed(c, err)
	}
}

// deliver termina o Read pendente.
func (c *Conn) deliver(data []byte, err error) {
	k := c.read
	c.read = nil
	k(data, err)
	c.settle()
}

// Read é o `await reader.read(n)`: até n bytes (no máximo 65.535), quando
// chegarem. k recebe os dados (uma cópia, de k), ou b"" (len 0, erro nil) se
// o cliente fechou, ou o erro: Config.ReadTimeout vencido (o -ocioso) ou a
// conexão perdida.
func (c *Conn) Read(n int, k func(data []byte, err error)) {
	switch {
	case len(c.in) > 0:
		m := min(n, len(c.in))
		data := append([]byte(nil), c.in[:m]...)
		if c.in = c.in[m:]; len(c.in) == 0 {
			c.in = nil
		}
		if c.paused && len(c.in) < maxBuffered {
			c.paused = false
			c.watch()
		}
		k(data, nil)
	case c.state == closed:
		k(nil, c.errOr(ErrClosed))
	case c.rdEOF:
		k(nil, nil)
	default:
		c.want, c.read = uint16(min(n, 1<<16-1)), k
		if c.l.cfg.ReadTimeout > 0 {
			c.t.fn, c.t.c = readExpired, c
			c.l.schedule(&c.t, c.l.cfg.ReadTimeout)
		}
	}
}

func readExpired(c *Conn) { c.deliver(nil, c.l.readTimeoutErr) }

// Sleep é o `await asyncio.sleep(d)`: um timer no heap do laço, que chama k
// daqui a d. Nada bloqueia: Sleep volta na hora e o laço segue atendendo os
// outros até o prazo vencer.
func (c *Conn) Sleep(d time.Duration, k func()) {
	c.wake = k
	c.t.fn, c.t.c = woke, c
	c.l.schedule(&c.t, d)
}

func woke(c *Conn) {
	k := c.wake
	c.wake = nil
	k()
	c.settle()
}

// Drain é o `await writer.drain()`: k roda quando o kernel tiver aceitado
// tudo o que Write mandou (na hora, se nada ficou pendente), ou com o erro
// que encerrou a conexão.
func (c *Conn) Drain(k func(err error)) {
	switch {
	case c.state == closed:
		k(c.errOr(ErrClosed))
	case len(c.out) == 0:
		k(nil)
	default:
		c.done = k
	}
}

// drainDone termina um Drain pendente (a saída esvaziou).
func (c *Conn) drainDone(err error) {
	if k := c.done; k != nil && c.state == open {
		c.done = nil
		k(err)
		c.settle()
	}
}

// WaitClosed é o `await writer.wait_closed()`: k roda quando a conexão
// estiver de fato fechada (depois de OnClose), com o erro que a encerrou
// (nil: fim normal).
func (c *Conn) WaitClosed(k func(err error)) {
	if c.buried {
		k(c.err)
		return
	}
	c.done = k
}

func (c *Conn) errOr(def error) error {
	if c.err != nil {
		return c.err
	}
	return def
}

// Peer é o endereço do cliente, lido só quando é impresso (String): com -q,
// o server_async não faz nenhum getpeername.
type Peer struct{ c *Conn }

func (p Peer) String() string { return p.c.RemoteAddr() }

// Peername é o writer.get_extra_info('peername') do asyncio.
func (c *Conn) Peername() Peer { return Peer{c} }

// ErrReadTimeout é o prazo de Config.ReadTimeout vencido num Read.
var ErrReadTimeout = errors.New("recv: prazo esgotado")
