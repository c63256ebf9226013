//go:build unix

package blocking

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"roteiro2/internal/sock"
)

// Listener é o socket de escuta em modo bloqueante: Accept dorme no kernel,
// dentro de accept(2).
type Listener struct {
	fd   int
	ip   [4]byte // endereço ligado (0.0.0.0 = todos)
	port int

	mu     sync.Mutex // protege closed: Wake (outra goroutine) × Close
	closed bool

	wakePort atomic.Int32 // porta de origem da conexão de despertar (connectSelf)
}

// Listen é socket + SO_REUSEADDR + bind + listen(backlog), com o backlog
// exato (internal/sock), e o descritor em modo bloqueante. note é sempre
// vazio no Unix (no Windows explica que o backlog não pôde ser aplicado).
func Listen(host string, port, backlog int) (ln *Listener, note string, err error) {
	fd, bound, err := sock.Listen(host, port, backlog)
	if err != nil {
		return nil, "", err
	}
	// sock.Listen entrega o socket não bloqueante, que é o que um laço de
	// eventos quer. Aqui é o contrário: accept() deve esperar no kernel.
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("fcntl O_NONBLOCK: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("getsockname: %w", err)
	}
	return &Listener{fd: fd, ip: sa.(*unix.SockaddrInet4).Addr, port: bound}, "", nil
}

// Addr é o endereço em que o socket escuta, como "127.0.0.1:65432".
func (l *Listener) Addr() string {
	return netip.AddrPortFrom(netip.AddrFrom4(l.ip), uint16(l.port)).String()
}

// Accept é accept(2): a thread que chama dorme no kernel até haver uma
// conexão completa na fila do listen.
func (l *Listener) Accept() (*Conn, error) {
	for {
		fd, sa, err := acceptCloexec(l.fd)
		switch {
		case err == unix.EINTR:
			continue // um sinal interrompeu a espera: espera de novo
		case err == unix.ECONNABORTED:
			// O cliente desistiu (RST) entre o handshake e o accept: não há
			// o que atender, e o pacote net do Go também segue adiante.
			continue
		case err != nil:
			return nil, err // EMFILE e companhia: quem chama espera e tenta de novo
		}
		peer, _ := sa.(*unix.SockaddrInet4)
		if peer == nil {
			// Sem endereço (o cliente já tinha resetado): segue sem ele.
			return &Conn{fd: fd, addr: "(desconhecido)"}, nil
		}
		if p := l.wakePort.Load(); p != 0 && peer.Port == int(p) && peer.Addr == l.wakeIP() {
			unix.Close(fd) // a conexão de despertar de Wake: não é cliente
			return nil, errWoken
		}
		return &Conn{fd: fd, addr: tuple(netip.AddrFrom4(peer.Addr).String(), peer.Port)}, nil
	}
}

// errWoken é o que Accept devolve ao aceitar a conexão de despertar.
var errWoken = fmt.Errorf("accept: acordado para a parada")

// Wake faz um Accept bloqueado em outra thread voltar, sem fechar o
// descritor; quem chama Accept o fecha depois (Close).
//
// Fechar o socket de escuta NÃO serviria: no Linux, close() de um socket
// em que outra thread dorme em accept() não a acorda (a chamada em curso
// segura uma referência ao arquivo, e o socket continua escutando e
// enfileirando conexões). E fechar o descritor enquanto a outra thread ainda
// pode chamar accept nele de novo é pior: o número pode já ter sido dado a
// outro arquivo. O que acorda, no Linux, é shutdown(SHUT_RD): o socket deixa
// de escutar (quem estava na fila recebe RST, como no close) e o accept volta
// com EINVAL. No macOS e nos BSD o shutdown de um socket de escuta pode não
// acordar ninguém; lá o despertar é uma conexão à própria porta, que Accept
// reconhece e descarta.
func (l *Listener) Wake() {
	l.mu.Lock()
	if !l.closed {
		unix.Shutdown(l.fd, unix.SHUT_RD)
	}
	l.mu.Unlock()
	if wakeByConnect {
		go l.connectSelf() // connect pode demorar: Wake não espera
	}
}

// connectSelf conecta ao próprio socket de escuta. A porta de origem é
// escolhida (bind) e anotada antes do connect, para que Accept reconheça a
// conexão assim que ela chegar.
func (l *Listener) connectSelf() {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	unix.CloseOnExec(fd)
	ip := l.wakeIP()
	if unix.Bind(fd, &unix.SockaddrInet4{Addr: ip}) != nil {
		return
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return
	}
	l.wakePort.Store(int32(sa.(*unix.SockaddrInet4).Port))
	unix.Connect(fd, &unix.SockaddrInet4{Addr: ip, Port: l.port})
}

// wakeIP é o endereço de origem e destino da conexão de despertar: o do
// socket de escuta, ou 127.0.0.1 se ele escuta em todos (0.0.0.0).
func (l *Listener) wakeIP() [4]byte {
	if l.ip == [4]byte{} {
		return [4]byte{127, 0, 0, 1}
	}
	return l.ip
}

// Close fecha o socket de escuta. Só quem chama Accept deve chamá-lo (veja
// Wake); chamar de novo não faz nada.
func (l *Listener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return unix.Close(l.fd)
}

// Conn é uma conexão aceita, em modo bloqueante. Recv, Send, Linger e Close
// são da thread que a atende; só Abort pode vir de outra goroutine.
type Conn struct {
	fd       int
	addr     string
	timeout  time.Duration // SetRecvTimeout
	rcvtimeo time.Duration // o SO_RCVTIMEO que o kernel tem agora

	mu     sync.Mutex // protege closed: Abort (outra goroutine) × Close
	closed bool
}

// Addr é o endereço do cliente no formato do Python: ('127.0.0.1', 54321).
func (c *Conn) Addr() string { return c.addr }

// SetRecvTimeout limita a espera de cada Recv (0: sem limite), como o
// settimeout do Python. Por baixo é a opção SO_RCVTIMEO do socket: recv(2)
// continua bloqueante e volta com EAGAIN quando o tempo acaba.
func (c *Conn) SetRecvTimeout(d time.Duration) { c.timeout = d }

// Recv é recv(2) de até n bytes: a thread dorme no kernel até chegarem dados
// (ou o cliente fechar, ou o prazo de SetRecvTimeout vencer). Como no
// Python, o cliente ter fechado volta como zero bytes sem erro; o prazo
// vencido volta como erro (IsTimeout).
func (c *Conn) Recv(n int) ([]byte, error) {
	buf := make([]byte, n)
	var deadline time.Time
	if c.timeout > 0 {
		deadline = time.Now().Add(c.timeout)
	}
	k, err := c.recv(buf, deadline)
	return buf[:k], err
}

// recv faz recv(2) esperando no máximo até deadline (zero: sem limite).
func (c *Conn) recv(buf []byte, deadline time.Time) (int, error) {
	for {
		var wait time.Duration // 0 = sem limite
		if !deadline.IsZero() {
			if wait = time.Until(deadline); wait <= 0 {
				return 0, fmt.Errorf("recv: %w", os.ErrDeadlineExceeded)
			}
		}
		if wait != c.rcvtimeo {
			if err := setRecvTimeout(c.fd, wait); err != nil {
				return 0, err
			}
			c.rcvtimeo = wait
		}
		n, _, err := unix.Recvfrom(c.fd, buf, 0)
		switch {
		case err == unix.EINTR:
			// Um sinal interrompeu a espera. Sem prazo o kernel recomeça a
			// chamada sozinho (o Go instala os tratadores com SA_RESTART);
			// com SO_RCVTIMEO, não: volta EINTR. Espera o tempo que falta.
			continue
		case err == unix.EAGAIN || err == unix.EWOULDBLOCK:
			return 0, fmt.Errorf("recv: %w", os.ErrDeadlineExceeded)
		case err != nil:
			return 0, err
		}
		return n, nil
	}
}

// setRecvTimeout põe SO_RCVTIMEO = d (0: sem limite).
func setRecvTimeout(fd int, d time.Duration) error {
	tv := unix.NsecToTimeval(d.Nanoseconds())
	if d > 0 && tv.Sec == 0 && tv.Usec == 0 {
		tv.Usec = 1 // menos de 1 µs arredondaria para 0, que é "sem limite"
	}
	return unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
}

// Send envia p inteiro com send(2) bloqueante: a thread dorme no kernel se
// o buffer de envio do socket estiver cheio. Um send interrompido por sinal
// pode ter enviado só uma parte: o laço manda o resto (o sendall do Python).
// Um cliente que já foi embora dá EPIPE ou ECONNRESET, nunca SIGPIPE: no
// Linux pela flag MSG_NOSIGNAL; nos outros sistemas o runtime do Go ignora
// o SIGPIPE de descritores que não são stdout/stderr.
func (c *Conn) Send(p []byte) error {
	for len(p) > 0 {
		n, err := unix.SendmsgN(c.fd, p, nil, nil, sendFlags)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		p = p[n:]
	}
	return nil
}

// Linger é o fechamento demorado (veja a função Linger): shutdown(SHUT_WR)
// manda o FIN depois da resposta; recv descarta o que o cliente ainda
// mandar, até ele fechar ou LingerMax (SO_RCVTIMEO limita cada espera);
// então close(). Sempre fecha c.
func (c *Conn) Linger() {
	defer c.Close()
	if unix.Shutdown(c.fd, unix.SHUT_WR) != nil {
		return
	}
	deadline := time.Now().Add(LingerMax)
	buf := make([]byte, 4096)
	for {
		if n, err := c.recv(buf, deadline); n == 0 || err != nil {
			return
		}
	}
}

// Abort encerra a conexão a partir de outra goroutine (fim do prazo de
// parada): shutdown(SHUT_RDWR) acorda a thread que dorme em recv ou send
// nela (recv volta com fim de arquivo). Não fecha o descritor: close() não
// acordaria a thread, e o número poderia ser reaproveitado enquanto ela
// ainda o usa. Quem fecha é a thread dona, com Close.
func (c *Conn) Abort() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		unix.Shutdown(c.fd, unix.SHUT_RDWR)
	}
}

// Close é close(2). Chamar de novo não faz nada.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return unix.Close(c.fd)
}

// ListenNet abre host:port com o backlog exato e o entrega como
// net.Listener, para o modelo goroutine: net.FileListener duplica o
// descritor e o registra no netpoller do Go (o original é fechado em
// seguida). note é sempre vazio no Unix.
func ListenNet(host string, port, backlog int) (ln net.Listener, note string, err error) {
	fd, _, err := sock.Listen(host, port, backlog)
	if err != nil {
		return nil, "", err
	}
	f := os.NewFile(uintptr(fd), "listener")
	defer f.Close()
	ln, err = net.FileListener(f)
	return ln, "", err
}
