package blocking

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// No Windows o socket "bloqueante" passa pelo pacote net do Go e o sleep é
// time.Sleep: os servidores funcionam do mesmo jeito (o modelo thread ainda
// prende cada conexão numa thread do SO com runtime.LockOSThread), mas quem
// espera é o runtime do Go (IOCP e temporizadores), não a thread parada numa
// chamada do sistema. Os métodos são os mesmos de socket_unix.go (socket.go
// confere na compilação).

// Listener é o socket de escuta.
type Listener struct{ ln net.Listener }

// Listen abre host:port. O pacote net do Go chama listen com SOMAXCONN e não
// oferece outro valor: o backlog pedido não pode ser honrado, e note diz
// isso na linha de início.
func Listen(host string, port, backlog int) (ln *Listener, note string, err error) {
	l, note, err := ListenNet(host, port, backlog)
	if err != nil {
		return nil, "", err
	}
	return &Listener{ln: l}, note, nil
}

// ListenNet é Listen como net.Listener, para o modelo goroutine.
func ListenNet(host string, port, backlog int) (ln net.Listener, note string, err error) {
	ln, err = net.Listen("tcp4", net.JoinHostPort(host, strconv.Itoa(port)))
	note = fmt.Sprintf("aviso: no Windows o Go usa o backlog máximo do sistema (SOMAXCONN); -backlog %d não é aplicado", backlog)
	return ln, note, err
}

// Addr é o endereço em que o socket escuta, como "127.0.0.1:65432".
func (l *Listener) Addr() string { return l.ln.Addr().String() }

// Accept espera a próxima conexão.
func (l *Listener) Accept() (*Conn, error) {
	c, err := l.ln.Accept()
	if err != nil {
		return nil, err
	}
	return &Conn{c: c}, nil
}

// Wake faz um Accept bloqueado voltar: o pacote net aceita Close de outra
// goroutine (ele mesmo cuida de não reaproveitar o socket antes da hora).
func (l *Listener) Wake() { l.ln.Close() }

// Close fecha o socket de escuta.
func (l *Listener) Close() error { return l.ln.Close() }

// Conn é uma conexão aceita.
type Conn struct {
	c       net.Conn
	timeout time.Duration
}

// Addr é o endereço do cliente no formato do Python: ('127.0.0.1', 54321).
func (c *Conn) Addr() string { return Addr(c.c) }

// SetRecvTimeout limita a espera de cada Recv (0: sem limite).
func (c *Conn) SetRecvTimeout(d time.Duration) { c.timeout = d }

// Recv lê até n bytes; o cliente ter fechado volta como zero bytes sem erro,
// como no Python.
func (c *Conn) Recv(n int) ([]byte, error) {
	var deadline time.Time
	if c.timeout > 0 {
		deadline = time.Now().Add(c.timeout)
	}
	c.c.SetReadDeadline(deadline)
	buf := make([]byte, n)
	k, err := c.c.Read(buf)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return buf[:k], err
}

// Send envia p inteiro.
func (c *Conn) Send(p []byte) error {
	_, err := c.c.Write(p)
	return err
}

// Linger é o fechamento demorado (veja a função Linger). Sempre fecha c.
func (c *Conn) Linger() { Linger(c.c) }

// Abort encerra a conexão a partir de outra goroutine.
func (c *Conn) Abort() { c.c.Close() }

// Close fecha a conexão.
func (c *Conn) Close() error { return c.c.Close() }

// Sleep dorme d (no Windows, time.Sleep).
func Sleep(d time.Duration) { time.Sleep(d) }
