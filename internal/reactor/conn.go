package reactor

import (
	"strconv"
	"time"
)

// Estados de uma conexão.
const (
	open      = iota
	draining  // Close pedido: envia o pendente, depois shutdown+linger
	lingering // shutdown(SHUT_WR) feito: descarta a entrada até EOF ou prazo
	closed
)

// Conn é uma conexão aceita: 168 bytes numa máquina de 64 bits (o
// TestConnSize confere), porque o buffer de leitura é do laço e o timer vive
// dentro dela (nada de um timer alocado por conexão).
// Seus métodos só podem ser chamados na thread do laço.
type Conn struct {
	l       *Loop
	fd      int // -1 depois do close(2)
	state   uint8
	ev      uint8 // interesse registrado no poller (evRead|evWrite)
	rdEOF   bool  // o outro lado já fechou a escrita
	flushed bool  // Close entregou ao kernel toda a saída
	wrote   bool  // Write entregou bytes ao kernel ou à fila de saída
	buried  bool  // OnClose já rodou (ou está rodando)
	peer    bool  // ip e port já lidos (getpeername)
	paused  bool  // a camada de streams guardou o bastante: não vigiar a leitura
	port    uint16
	ip      [4]byte
	want    uint16 // Read pendente: até want bytes
	out     []byte // saída que o kernel ainda não aceitou
	t       Timer  // o timer da conexão (AfterFunc, Sleep, prazo do Read e do linger)
	err     error  // motivo do fim, entregue a OnClose

	// A camada de streams (stream.go): no máximo uma operação pendente por
	// vez, como numa corrotina.
	read func(data []byte, err error) // Read pendente
	done func(err error)              // Drain ou WaitClosed pendente
	wake func()                       // Sleep pendente
	in   []byte                       // recebido e ainda não lido (o buffer do StreamReader)
}

// RemoteAddr escreve o endereço do cliente como o Python imprime a tupla de
// getpeername(): ('127.0.0.1', 54321). O accept não o pede: é lido aqui na
// primeira vez e guardado (quem não imprime endereços não paga o getpeername;
// o do pacote syscall, porque o do x/sys/unix faz antes um getsockopt).
func (c *Conn) RemoteAddr() string {
	if !c.peer {
		ip, port, ok := peername(c.fd)
		if !ok {
			return "(endereço indisponível)"
		}
		c.ip, c.port, c.peer = ip, uint16(port), true
	}
	b := append(make([]byte, 0, 28), "('"...)
	for i, x := range c.ip {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(x), 10)
	}
	b = strconv.AppendUint(append(b, "', "...), uint64(c.port), 10)
	return string(append(b, ')'))
}

// AfterFunc marca f(c) para daqui a d, substituindo o timer anterior da
// conexão (cada Conn tem um). Fechar a conexão cancela o timer.
func (c *Conn) AfterFunc(d time.Duration, f func(*Conn)) {
	if c.state != open {
		return
	}
	c.t.fn, c.t.c = f, c
	c.l.schedule(&c.t, d)
}

// Write envia p. Primeiro tenta escrever direto no socket; só o que o
// kernel não aceitou agora é copiado para c.out, e só então o laço passa a
// vigiar "pode escrever" (vigiar sempre acordaria o laço à toa: um socket
// ocioso está sempre gravável). Se já há saída pendente, p vai para o fim
// da fila, para manter a ordem. EPIPE/ECONNRESET (ou o poller recusar a
// vigia) fecham a conexão com esse erro (OnClose vem no fim do lote) e são
// devolvidos.
func (c *Conn) Write(p []byte) error {
	if c.state != open {
		return ErrClosed
	}
	c.wrote = c.wrote || len(p) > 0
	if len(c.out) > 0 {
		c.out = append(c.out, p...)
		return nil
	}
	n, err := send(c.fd, p)
	if err != nil && !tryAgain(err) {
		c.finish(err)
		return err
	}
	if n = max(n, 0); n < len(p) {
		c.out = append([]byte(nil), p[n:]...)
		return c.watch()
	}
	return nil
}

// Close é o fechamento com espera (lingering close, como o nginx): envia o
// pendente, faz shutdown(SHUT_WR) (o cliente recebe FIN depois da
// resposta), descarta o que ainda chegar até EOF ou até Config.Linger, e só
// então fecha (o close(2) de verdade acontece no fim do lote). No Linux e no
// macOS, fechar um socket com entrada não lida faz o kernel mandar RST em
// vez de FIN, e o RST pode destruir a resposta que o cliente ainda não leu
// (o FreeBSD fecha com FIN mesmo assim; lá o linger só poupa o RST dos
// bytes que chegarem depois do close). Pode ser chamado mais de uma vez.
func (c *Conn) Close() {
	if c.state != open {
		return
	}
	c.t.Stop()
	c.state, c.paused = draining, false // o linger precisa ler, para descartar
	if len(c.out) == 0 {
		c.drained()
	}
}

// Flushed diz se Close já entregou ao kernel toda a saída da conexão (nada
// ficou pendente em c.out). Vale também em OnClose: separa a conexão que
// terminou de enviar (mesmo que o fechamento com espera tenha sido cortado
// depois) da que acabou com saída pendente.
func (c *Conn) Flushed() bool { return c.flushed }

// Replied diz se a conexão escreveu algo e entregou tudo ao kernel antes de
// fechar: para a conta do resumo, foi atendida.
func (c *Conn) Replied() bool { return c.wrote && c.flushed }

// drained: a saída acabou de esvaziar no fechamento. Se o cliente já mandou
// EOF, não há entrada a descartar: fecha logo.
func (c *Conn) drained() {
	c.flushed = true
	if c.rdEOF || shutdownWrite(c.fd) != nil {
		c.finish(nil)
		return
	}
	c.state = lingering
	c.watch()
	c.t.fn, c.t.c = lingerExpired, c
	c.l.schedule(&c.t, c.l.cfg.Linger)
}

func lingerExpired(c *Conn) { c.finish(ErrLinger) }

// watch acerta o interesse no poller: leitura enquanto o outro lado não
// fechou (e o Stream não pediu pausa), escrita só enquanto há saída
// pendente. c.ev só muda se o kernel aceitou; se recusou, a conexão acaba
// com esse erro.
func (c *Conn) watch() error {
	ev := uint8(0)
	if !c.rdEOF && !c.paused {
		ev |= evRead
	}
	if len(c.out) > 0 {
		ev |= evWrite
	}
	if ev == c.ev || c.state == closed {
		return nil
	}
	if err := c.l.p.set(c.fd, c.ev, ev); err != nil {
		c.finish(err)
		return err
	}
	c.ev = ev
	return nil
}

// ready trata um evento do poller: primeiro escreve (pode liberar o
// fechamento ou um Drain), depois lê.
func (c *Conn) ready(r, w bool) {
	if w && len(c.out) > 0 {
		n, err := send(c.fd, c.out)
		if err != nil && !tryAgain(err) {
			c.finish(err)
			return
		}
		if c.out = c.out[max(n, 0):]; len(c.out) == 0 {
			c.out = nil // devolve a memória: conexão ociosa não guarda buffer
			c.watch()
			if c.state == draining {
				c.drained()
			} else {
				c.drainDone(nil)
			}
		}
	}
	if !r || c.state == closed {
		return
	}
	n, err := readFd(c.fd, c.l.buf)
	switch {
	case tryAgain(err):
		// o aviso era só uma dica: nada para ler agora
	case err != nil:
		c.finish(err)
	case n > 0:
		if c.state == open {
			c.l.cfg.Handler.OnData(c, c.l.buf[:n])
		}
	default: // read() == 0 é a verdade: o outro lado fechou a escrita
		// Um segundo EOF só vem do epoll, que entrega HUP/ERR a quem só vigia
		// a escrita: o cliente sumiu (em geral o send já falhou com EPIPE). No
		// kqueue, o filtro de leitura sai no primeiro EOF (se ficasse, EV_EOF
		// voltaria a cada volta) e o sumiço chega como "gravável" (EV_EOF no
		// EVFILT_WRITE): o send dá EPIPE. No linger, o EOF conclui o fechamento.
		again := c.rdEOF
		c.rdEOF = true
		if again || c.state == lingering || c.state == open && (c.l.eof == nil || !c.l.eof.OnEOF(c)) {
			c.finish(nil)
		} else {
			c.watch() // para de vigiar a leitura; o pendente ainda sai
		}
	}
}

// finish encerra de vez: sai da tabela (um evento dela ainda no lote cai
// numa posição vazia) e entra na lista do fim do lote, onde OnClose roda e o
// close(2) a tira do poller (sem DEL antes). Assim OnClose nunca roda no
// meio de outro callback (um Write que falha em OnData, por exemplo), e o
// número do descritor só volta ao kernel depois do lote. Um Sleep pendente
// continua marcado: como o asyncio.sleep, ele não depende da conexão.
// Idempotente.
func (c *Conn) finish(err error) {
	if c.state == closed {
		return
	}
	if c.wake == nil {
		c.t.Stop()
	}
	c.state, c.err, c.out, c.in = closed, err, nil, nil
	c.l.conns.put(c.fd, nil)
	c.l.dying = append(c.l.dying, c)
}
