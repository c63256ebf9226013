//go:build unix

package socket

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// As constantes dos scripts, com os nomes do Python.
const (
	AF_INET      = unix.AF_INET
	SOCK_STREAM  = unix.SOCK_STREAM
	SOL_SOCKET   = unix.SOL_SOCKET
	SO_REUSEADDR = unix.SO_REUSEADDR
	SHUT_RD      = unix.SHUT_RD
	SHUT_WR      = unix.SHUT_WR
	SHUT_RDWR    = unix.SHUT_RDWR
)

// Sock é um socket: o socket.socket do Python, um descritor do kernel.
// Os métodos são da goroutine que o usa; só Shutdown pode vir de outra.
type Sock struct {
	fd int
	// Observer, se não for nil, é avisado de accept e close (veja Observer).
	// As conexões aceitas herdam o do socket de escuta.
	Observer Observer

	timeout time.Duration   // SetTimeout: prazo de cada operação (0: bloqueante)
	file    *os.File        // com SetTimeout: o descritor no netpoller do Go
	raw     syscall.RawConn // file.SyscallConn(): chama o sistema e espera no netpoller

	recvTimeout time.Duration // SetRecvTimeout (o -ocioso dos servidores)
	rcvtimeo    time.Duration // o SO_RCVTIMEO que o kernel tem agora
	replied     atomic.Bool   // um Send ou SendAll entregou o buffer inteiro ao kernel
	nonblock    bool          // o socket de escuta já está não bloqueante (o Accept do macOS)

	mu     sync.Mutex // protege closed: Shutdown (outra goroutine) × Close
	closed bool
}

// Socket é socket.socket(AF_INET, SOCK_STREAM): pede ao kernel um socket
// TCP/IPv4 novo. Close-on-exec (um processo filho não o herda), atômico com
// a criação onde o sistema deixa (SOCK_CLOEXEC); no macOS, fcntl logo
// depois, com a trava que o os/exec do Go respeita (syscall.ForkLock).
func Socket(family, typ int) (*Sock, error) {
	if family != AF_INET || typ != SOCK_STREAM {
		return nil, &Error{Op: "socket", Err: unix.EPROTONOSUPPORT} // só TCP/IPv4, como os scripts
	}
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(family, typ|sockCloexec, 0)
	if err == nil && sockCloexec == 0 {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, wrap("socket", err)
	}
	return &Sock{fd: fd}, nil
}

// Setsockopt é setsockopt(2) com um valor inteiro, como
// s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1).
func (s *Sock) Setsockopt(level, opt, value int) error {
	return wrap("setsockopt", unix.SetsockoptInt(s.fd, level, opt, value))
}

// ReuseAddr é o SO_REUSEADDR que o socket.create_server do Python liga num
// socket de escuta: reabrir a porta logo depois de parar um servidor, mesmo
// com as conexões antigas ainda em TIME_WAIT (sem ele, "Porta em uso" por
// até 60 s no Linux).
func (s *Sock) ReuseAddr() error {
	return wrap("setsockopt SO_REUSEADDR", unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1))
}

// SetLinger é setsockopt(SOL_SOCKET, SO_LINGER, (1, sec)): o close espera
// até sec segundos a saída pendente ir embora; com sec = 0, o close descarta
// a conexão com RST em vez de FIN (e nada fica em TIME_WAIT).
func (s *Sock) SetLinger(sec int) error {
	return wrap("setsockopt SO_LINGER", unix.SetsockoptLinger(s.fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: int32(sec)}))
}

// Bind é bind((host, port)): liga o socket a um endereço local. Porta 0: o
// kernel escolhe uma livre (Getsockname diz qual).
func (s *Sock) Bind(host string, port int) error {
	ip, err := ParseIPv4(host)
	if err != nil {
		return &Error{Op: "bind", Err: err}
	}
	return wrap("bind", unix.Bind(s.fd, &unix.SockaddrInet4{Addr: ip, Port: port}))
}

// Listen é listen(backlog): a partir daqui o kernel completa o handshake TCP
// sozinho e guarda as conexões prontas numa fila até alguém chamar accept().
// O backlog chega ao kernel exatamente como pedido (o net.Listen do Go
// sempre passa o máximo, net.core.somaxconn).
func (s *Sock) Listen(backlog int) error {
	return wrap("listen", unix.Listen(s.fd, backlog))
}

// Getsockname é o endereço local do socket (com Bind na porta 0, a porta
// que o kernel escolheu).
func (s *Sock) Getsockname() (Addr, error) {
	sa, err := unix.Getsockname(s.fd)
	if err != nil {
		return Addr{}, wrap("getsockname", err)
	}
	a := sa.(*unix.SockaddrInet4)
	return Addr{IP: a.Addr, Port: a.Port}, nil
}

// accepted termina um accept(2) do Accept de cada sistema: again diz se o
// laço de Accept deve chamar accept(2) de novo.
func (s *Sock) accepted(fd int, sa unix.Sockaddr, err error) (c *Sock, addr Addr, _ error, again bool) {
	switch {
	case err == unix.EINTR || err == unix.ECONNABORTED || err == unix.EAFNOSUPPORT:
		// Um sinal interrompeu a espera, ou o cliente desistiu (RST) entre o
		// handshake e o accept: não há o que atender; o próximo. O kernel
		// pode entregar essa conexão sem endereço; o x/sys então a fecha e
		// devolve ECONNABORTED (macOS) ou EAFNOSUPPORT (os outros BSD): é a
		// mesma conexão perdida.
		return nil, Addr{}, nil, true
	case err != nil:
		// EMFILE e companhia: quem acompanha o servidor decide (espera e
		// tenta de novo); sem ele, o erro volta, como a exceção do Python.
		if s.Observer != nil {
			if err = s.Observer.AcceptFailed(wrap("accept", err)); err == nil {
				return nil, Addr{}, nil, true
			}
			return nil, Addr{}, err, false
		}
		return nil, Addr{}, wrap("accept", err), false
	}
	peer := sa.(*unix.SockaddrInet4) // Socket só cria AF_INET
	c = &Sock{fd: fd, Observer: s.Observer}
	addr = Addr{IP: peer.Addr, Port: peer.Port}
	if s.Observer != nil {
		if err := s.Observer.Accepted(c, addr); err != nil {
			c.Close()
			return nil, Addr{}, err, false
		}
	}
	return c, addr, nil, false
}

// SetRecvTimeout limita cada Recv a d (0: sem limite). Não existe no .py:
// é o -ocioso dos servidores. Por baixo é SO_RCVTIMEO: recv(2) continua
// bloqueante (a thread dorme no kernel, wchan wait_woken) e volta com EAGAIN
// quando o tempo acaba; Recv devolve então ErrTimeout.
func (s *Sock) SetRecvTimeout(d time.Duration) { s.recvTimeout = d }

// Recv é recv(1024): lê até n bytes. Sem SetTimeout, a thread dorme no
// kernel dentro do recv(2) (wchan wait_woken) até chegarem dados ou o
// cliente fechar. Como no Python, o outro lado ter fechado volta como zero
// bytes sem erro.
func (s *Sock) Recv(n int) ([]byte, error) {
	buf := make([]byte, n)
	if s.timeout != 0 { // SetTimeout: espera no netpoller, com prazo
		k, err := s.wait(false, func(fd int) (int, error) { return unix.Read(fd, buf) })
		return buf[:max(k, 0)], wrap("recv", err)
	}
	end := deadline(s.recvTimeout)
	if end.IsZero() && s.rcvtimeo != 0 { // sem prazo agora: tira o SO_RCVTIMEO que ficou
		if err := s.setRcvtimeo(0); err != nil {
			return nil, err
		}
	}
	for {
		if !end.IsZero() { // SO_RCVTIMEO = o que falta até o prazo
			left := time.Until(end)
			if left <= 0 {
				return nil, &Error{Op: "recv", Err: timeoutError{s.recvTimeout}}
			}
			if err := s.setRcvtimeo(left); err != nil {
				return nil, err
			}
		}
		k, _, err := unix.Recvfrom(s.fd, buf, 0)
		switch {
		case err == unix.EINTR:
			// Um sinal interrompeu a espera. Sem prazo o kernel recomeça a
			// chamada sozinho (o Go instala os tratadores com SA_RESTART); com
			// SO_RCVTIMEO, não: volta EINTR. Espera o que falta até o prazo.
			continue
		case err == unix.EAGAIN || err == unix.EWOULDBLOCK:
			return nil, &Error{Op: "recv", Err: timeoutError{s.recvTimeout}}
		case err != nil:
			return nil, wrap("recv", err)
		}
		return buf[:k], nil
	}
}

// setRcvtimeo põe SO_RCVTIMEO = d, se o kernel já não tiver esse valor.
func (s *Sock) setRcvtimeo(d time.Duration) error {
	if d == s.rcvtimeo {
		return nil
	}
	tv := unix.NsecToTimeval(d.Nanoseconds()) // arredonda para cima: 1 ns vira 1 µs, não 0 ("sem limite")
	if err := unix.SetsockoptTimeval(s.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return wrap("setsockopt SO_RCVTIMEO", err)
	}
	s.rcvtimeo = d
	return nil
}

// Send é send(2): o kernel copia p para o buffer de envio do socket e diz
// quanto copiou (num socket bloqueante, quase sempre tudo; a thread dorme
// no kernel se o buffer estiver cheio). Um cliente que já foi embora dá
// EPIPE ou ECONNRESET, nunca SIGPIPE (MSG_NOSIGNAL no Linux; nos outros
// sistemas o runtime do Go ignora o SIGPIPE de um socket).
func (s *Sock) Send(p []byte) (int, error) {
	var n int
	var err error
	if s.timeout != 0 {
		n, err = s.wait(true, func(fd int) (int, error) { return unix.SendmsgN(fd, p, nil, nil, sendFlags) })
	} else {
		for n, err = unix.SendmsgN(s.fd, p, nil, nil, sendFlags); err == unix.EINTR; {
			n, err = unix.SendmsgN(s.fd, p, nil, nil, sendFlags)
		}
	}
	if err != nil {
		return 0, wrap("send", err)
	}
	if n == len(p) {
		s.replied.Store(true)
	}
	return n, nil
}

// SendAll é sendall(p): Send até o kernel aceitar tudo.
func (s *Sock) SendAll(p []byte) error {
	for len(p) > 0 {
		n, err := s.Send(p)
		if err != nil {
			return err
		}
		p = p[n:]
	}
	s.replied.Store(true)
	return nil
}

// Replied diz se um Send ou SendAll já entregou ao kernel um buffer
// inteiro: para a conta do resumo, a conexão foi atendida.
func (s *Sock) Replied() bool { return s.replied.Load() }

// Shutdown é shutdown(how): SHUT_WR manda o FIN (o cliente lê fim de
// arquivo) e o socket ainda lê; SHUT_RDWR, vindo de outra goroutine, acorda
// a thread que dorme em recv nele (recv devolve zero bytes). Depois de
// Close não faz nada: o número do descritor pode já ser de outro arquivo.
func (s *Sock) Shutdown(how int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	return wrap("shutdown", unix.Shutdown(s.fd, how))
}

// Close é close(): devolve o descritor ao kernel. Se o socket tem um
// Observer, ele vem antes (a conta do resumo; depois de uma resposta, o
// fechamento com espera, que termina fechando). Chamar de novo não faz nada.
func (s *Sock) Close() error {
	if s.Observer != nil && s.Observer.Closing(s) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.file != nil {
		return wrap("close", s.file.Close()) // tira do netpoller e fecha o descritor
	}
	return wrap("close", unix.Close(s.fd))
}

// CloseNow fecha sem avisar o Observer (quem o chama é o próprio Observer).
func (s *Sock) CloseNow() error {
	s.Observer = nil
	return s.Close()
}

// SetBlocking(false) é o setblocking(False) do Python: as chamadas voltam na
// hora com EAGAIN em vez de esperar. É como o asyncio usa o socket de
// escuta, e o que internal/reactor pede (Fd).
func (s *Sock) SetBlocking(flag bool) error {
	if err := unix.SetNonblock(s.fd, !flag); err != nil {
		return wrap("fcntl O_NONBLOCK", err)
	}
	s.nonblock = !flag
	return nil
}

// Fd é o descritor, para quem vai vigiá-lo (internal/reactor). Quem o pega
// passa a ser o dono: não chame mais métodos de s.
func (s *Sock) Fd() int { return s.fd }

// SetTimeout é settimeout(d): cada operação seguinte (connect, recv, send)
// espera no máximo d e então falha com ErrTimeout (o socket.timeout do
// Python). O Python põe o socket em modo não bloqueante e espera cada
// operação em poll(2), na thread de quem chama. Aqui a espera é a do
// netpoller do Go (um epoll/kqueue para todas as goroutines): os clientes
// de carga abrem milhares de conexões de uma vez, e uma thread por cliente
// mediria o cliente, não o servidor. d = 0: sem prazo.
func (s *Sock) SetTimeout(d time.Duration) error {
	if s.timeout == 0 && s.file == nil {
		if err := unix.SetNonblock(s.fd, true); err != nil {
			return wrap("fcntl O_NONBLOCK", err)
		}
	}
	s.timeout = d
	if s.timeout == 0 {
		s.timeout = -1 // sem prazo, mas o socket já não bloqueia
	}
	return nil
}

// Connect é connect((host, port)): o handshake TCP. Volta quando o SYN-ACK
// do servidor chega (o kernel de lá pode ainda nem ter entregado a conexão
// ao accept do programa) ou quando o prazo de SetTimeout vence. Com a fila
// de accept do servidor cheia, o Linux de lá descarta o SYN em silêncio, o
// nosso kernel o reenvia (1 s, 1 s, 1 s…), e quem acaba é o prazo.
func (s *Sock) Connect(host string, port int) error {
	ip, err := ParseIPv4(host)
	if err != nil {
		return &Error{Op: "connect", Err: err}
	}
	err = unix.Connect(s.fd, &unix.SockaddrInet4{Addr: ip, Port: port})
	if s.timeout == 0 || err != unix.EINPROGRESS {
		return wrap("connect", err) // bloqueante: a thread esperou dentro do connect(2)
	}
	// Não bloqueante: o handshake segue no kernel. O descritor só entra no
	// netpoller agora, depois do connect (antes dele, um socket sem conexão
	// já parece "gravável" e o netpoller acordaria na hora).
	if err := s.poller(); err != nil {
		return &Error{Op: "connect", Err: err}
	}
	_, err = s.wait(true, func(fd int) (int, error) {
		// Gravável: o handshake terminou. SO_ERROR diz como; sem erro e sem
		// par (ENOTCONN), ainda está em curso: volta a esperar.
		if e, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || e != 0 {
			if err == nil {
				err = syscall.Errno(e) // ECONNREFUSED: ninguém escuta na porta
			}
			return 0, err
		}
		if _, err := unix.Getpeername(fd); err == unix.ENOTCONN {
			return 0, unix.EAGAIN
		}
		return 0, nil
	})
	return wrap("connect", err)
}

// poller põe o descritor no netpoller do Go (uma vez).
func (s *Sock) poller() error {
	if s.file != nil {
		return nil
	}
	f := os.NewFile(uintptr(s.fd), "socket")
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	s.file, s.raw = f, raw
	return nil
}

// wait faz op com o prazo de SetTimeout: chama op; se ela der EAGAIN, a
// goroutine espera no netpoller o descritor ficar pronto para escrever
// (write) ou ler, ou o prazo vencer, e tenta de novo.
func (s *Sock) wait(write bool, op func(fd int) (int, error)) (int, error) {
	if err := s.poller(); err != nil {
		return 0, err
	}
	var n int
	var err error
	try := func(fd uintptr) bool {
		n, err = op(int(fd))
		return err != unix.EAGAIN && err != unix.EINTR
	}
	var werr error
	if write {
		s.file.SetWriteDeadline(deadline(s.timeout))
		werr = s.raw.Write(try)
	} else {
		s.file.SetReadDeadline(deadline(s.timeout))
		werr = s.raw.Read(try)
	}
	if errors.Is(werr, os.ErrDeadlineExceeded) {
		return 0, timeoutError{max(s.timeout, 0)}
	}
	if werr != nil {
		return 0, werr // o socket foi fechado
	}
	return n, err
}
