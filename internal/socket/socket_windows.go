package socket

import (
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// As constantes dos scripts, com os nomes do Python.
const (
	AF_INET      = windows.AF_INET
	SOCK_STREAM  = windows.SOCK_STREAM
	SOL_SOCKET   = windows.SOL_SOCKET
	SO_REUSEADDR = windows.SO_REUSEADDR
	SHUT_RD      = windows.SHUT_RD
	SHUT_WR      = windows.SHUT_WR
	SHUT_RDWR    = windows.SHUT_RDWR
)

// O que o x/sys/windows não embrulha: accept, recv, send, ioctlsocket e
// WSAPoll, chamados direto na ws2_32.dll (o Winsock), como o Python faz.
var (
	ws2         = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept  = ws2.NewProc("accept")
	procRecv    = ws2.NewProc("recv")
	procSend    = ws2.NewProc("send")
	procIoctl   = ws2.NewProc("ioctlsocket")
	procWSAPoll = ws2.NewProc("WSAPoll")
)

const (
	soError    = 0x1007     // SO_ERROR
	fionbio    = 0x8004667e // FIONBIO: liga/desliga o modo não bloqueante
	pollRdNorm = 0x0100     // POLLRDNORM: dá para ler (ou aceitar)
	pollWrNorm = 0x0010     // POLLWRNORM: dá para escrever (o connect terminou)
)

// pollFd é a WSAPOLLFD do Winsock.
type pollFd struct {
	fd      windows.Handle
	events  int16
	revents int16
}

// Sock é um socket: o socket.socket do Python, um SOCKET do Winsock.
// Os métodos são da goroutine que o usa; só Shutdown pode vir de outra.
type Sock struct {
	fd windows.Handle
	// Observer, se não for nil, é avisado de accept e close (veja Observer).
	// As conexões aceitas herdam o do socket de escuta.
	Observer Observer

	timeout     time.Duration // SetTimeout: prazo de cada operação (0: bloqueante)
	recvTimeout time.Duration // SetRecvTimeout (o -ocioso dos servidores)
	rcvtimeo    time.Duration // o SO_RCVTIMEO que o Winsock tem agora
	replied     atomic.Bool   // um Send ou SendAll entregou o buffer inteiro

	mu     sync.Mutex // protege closed: Shutdown (outra goroutine) × Close
	closed bool
}

// Socket é socket.socket(AF_INET, SOCK_STREAM): pede ao Winsock um socket
// TCP/IPv4 novo, bloqueante.
func Socket(family, typ int) (*Sock, error) {
	if family != AF_INET || typ != SOCK_STREAM {
		return nil, &Error{Op: "socket", Err: windows.WSAEAFNOSUPPORT} // só TCP/IPv4, como os scripts
	}
	fd, err := windows.Socket(family, typ, 0)
	if err != nil {
		return nil, wrap("socket", err)
	}
	return &Sock{fd: fd}, nil
}

// Setsockopt é setsockopt com um valor inteiro.
func (s *Sock) Setsockopt(level, opt, value int) error {
	return wrap("setsockopt", windows.SetsockoptInt(s.fd, level, opt, value))
}

// ReuseAddr não faz nada no Windows, como o socket.create_server do Python
// e o pacote net do Go: lá o TIME_WAIT não impede reabrir a porta, e
// SO_REUSEADDR quer dizer outra coisa, deixar um segundo socket escutar na
// mesma porta que o primeiro.
func (s *Sock) ReuseAddr() error { return nil }

// SetLinger é setsockopt(SOL_SOCKET, SO_LINGER, (1, sec)): com sec = 0, o
// closesocket descarta a conexão com RST em vez de FIN.
func (s *Sock) SetLinger(sec int) error {
	return wrap("setsockopt SO_LINGER", windows.SetsockoptLinger(s.fd, windows.SOL_SOCKET, windows.SO_LINGER, &windows.Linger{Onoff: 1, Linger: int32(sec)}))
}

// Bind é bind((host, port)). Porta 0: o Winsock escolhe uma livre.
func (s *Sock) Bind(host string, port int) error {
	ip, err := ParseIPv4(host)
	if err != nil {
		return &Error{Op: "bind", Err: err}
	}
	return wrap("bind", windows.Bind(s.fd, &windows.SockaddrInet4{Addr: ip, Port: port}))
}

// Listen é listen(backlog), com o backlog exato. (O net.Listen do Go sempre
// passa SOMAXCONN no Windows.) Com a fila cheia, o Windows responde ao SYN
// com RST: o cliente tenta de novo e acaba recusado (WinError 10061).
func (s *Sock) Listen(backlog int) error {
	return wrap("listen", windows.Listen(s.fd, backlog))
}

// Getsockname é o endereço local do socket.
func (s *Sock) Getsockname() (Addr, error) {
	sa, err := windows.Getsockname(s.fd)
	if err != nil {
		return Addr{}, wrap("getsockname", err)
	}
	a := sa.(*windows.SockaddrInet4)
	return Addr{IP: a.Addr, Port: a.Port}, nil
}

// Accept é accept(): a thread dorme no Winsock até haver uma conexão
// completa na fila do listen, e volta com ela e o endereço do cliente.
func (s *Sock) Accept() (*Sock, Addr, error) {
	for {
		var rsa windows.RawSockaddrAny
		n := int32(unsafe.Sizeof(rsa))
		r, _, e := syscall.SyscallN(procAccept.Addr(), uintptr(s.fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)))
		fd, err := windows.Handle(r), error(nil)
		if fd == windows.InvalidHandle {
			err = e
		}
		if c, addr, err, again := s.accepted(fd, &rsa, err); !again {
			return c, addr, err
		}
	}
}

// accepted termina um accept: again diz se Accept deve chamá-lo de novo.
func (s *Sock) accepted(fd windows.Handle, rsa *windows.RawSockaddrAny, err error) (c *Sock, addr Addr, _ error, again bool) {
	switch {
	case err == windows.WSAEINTR || err == windows.WSAECONNRESET || err == windows.WSAECONNABORTED:
		return nil, Addr{}, nil, true // o cliente desistiu antes do accept: o próximo
	case err != nil:
		if s.Observer != nil {
			if err = s.Observer.AcceptFailed(wrap("accept", err)); err == nil {
				return nil, Addr{}, nil, true
			}
			return nil, Addr{}, err, false
		}
		return nil, Addr{}, wrap("accept", err), false
	}
	c = &Sock{fd: fd, Observer: s.Observer}
	if sa, err := rsa.Sockaddr(); err == nil {
		if a, ok := sa.(*windows.SockaddrInet4); ok {
			addr = Addr{IP: a.Addr, Port: a.Port}
		}
	}
	if s.Observer != nil {
		if err := s.Observer.Accepted(c, addr); err != nil {
			c.Close()
			return nil, Addr{}, err, false
		}
	}
	return c, addr, nil, false
}

// SetRecvTimeout limita cada Recv a d (0: sem limite). Não existe no .py:
// é o -ocioso dos servidores. Por baixo é SO_RCVTIMEO (em milissegundos no
// Winsock): recv continua bloqueante e volta com WSAETIMEDOUT.
func (s *Sock) SetRecvTimeout(d time.Duration) { s.recvTimeout = d }

// Recv é recv(1024): lê até n bytes. Sem SetTimeout, a thread dorme no
// Winsock até chegarem dados ou o cliente fechar. Como no Python, o outro
// lado ter fechado volta como zero bytes sem erro.
func (s *Sock) Recv(n int) ([]byte, error) {
	buf := make([]byte, n)
	if s.timeout != 0 {
		if err := s.wait(pollRdNorm); err != nil {
			return nil, wrap("recv", err)
		}
	} else if s.recvTimeout != s.rcvtimeo {
		ms := uint32(max((s.recvTimeout+time.Millisecond-1)/time.Millisecond, 0))
		if err := windows.SetsockoptInt(s.fd, windows.SOL_SOCKET, windows.SO_RCVTIMEO, int(ms)); err != nil {
			return nil, wrap("setsockopt SO_RCVTIMEO", err)
		}
		s.rcvtimeo = s.recvTimeout
	}
	if n == 0 {
		return buf, nil
	}
	r, _, e := syscall.SyscallN(procRecv.Addr(), uintptr(s.fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(n), 0)
	switch k := int32(r); {
	case k >= 0:
		return buf[:k], nil
	case e == windows.WSAETIMEDOUT:
		return nil, &Error{Op: "recv", Err: timeoutError{s.recvTimeout}}
	default:
		return nil, wrap("recv", e)
	}
}

// Send é send(): o Winsock copia p para o buffer de envio e diz quanto
// copiou.
func (s *Sock) Send(p []byte) (int, error) {
	if s.timeout != 0 {
		if err := s.wait(pollWrNorm); err != nil {
			return 0, wrap("send", err)
		}
	}
	if len(p) == 0 {
		return 0, nil
	}
	r, _, e := syscall.SyscallN(procSend.Addr(), uintptr(s.fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), 0)
	n := int(int32(r))
	if n < 0 {
		return 0, wrap("send", e)
	}
	if n == len(p) {
		s.replied.Store(true)
	}
	return n, nil
}

// SendAll é sendall(p): Send até o Winsock aceitar tudo.
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

// Replied diz se um Send ou SendAll já entregou ao Winsock um buffer inteiro.
func (s *Sock) Replied() bool { return s.replied.Load() }

// Shutdown é shutdown(how). Depois de Close não faz nada.
func (s *Sock) Shutdown(how int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	return wrap("shutdown", windows.Shutdown(s.fd, how))
}

// Close é close(): closesocket. Se o socket tem um Observer, ele vem antes.
// Chamar de novo não faz nada.
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
	return wrap("closesocket", windows.Closesocket(s.fd))
}

// CloseNow fecha sem avisar o Observer (quem o chama é o próprio Observer).
func (s *Sock) CloseNow() error {
	s.Observer = nil
	return s.Close()
}

// SetBlocking(false) é o setblocking(False) do Python: ioctlsocket FIONBIO.
func (s *Sock) SetBlocking(flag bool) error {
	on := uint32(0)
	if !flag {
		on = 1
	}
	if r, _, e := syscall.SyscallN(procIoctl.Addr(), uintptr(s.fd), fionbio, uintptr(unsafe.Pointer(&on))); r != 0 {
		return wrap("ioctlsocket FIONBIO", e)
	}
	return nil
}

// Fd é o SOCKET, para quem vai vigiá-lo (internal/reactor). Quem o pega
// passa a ser o dono.
func (s *Sock) Fd() windows.Handle { return s.fd }

// SetTimeout é settimeout(d): cada operação seguinte (connect, recv, send)
// espera no máximo d e então falha com ErrTimeout. Como o Python no
// Windows: o socket passa a não bloqueante, e a espera de cada operação é
// um WSAPoll com prazo, na thread de quem chama. d = 0: sem prazo.
func (s *Sock) SetTimeout(d time.Duration) error {
	if on := uint32(1); s.timeout == 0 {
		// o SetBlocking(false), aqui mesmo: cada método fala com o Winsock
		if r, _, e := syscall.SyscallN(procIoctl.Addr(), uintptr(s.fd), fionbio, uintptr(unsafe.Pointer(&on))); r != 0 {
			return wrap("ioctlsocket FIONBIO", e)
		}
	}
	s.timeout = d
	if s.timeout == 0 {
		s.timeout = -1
	}
	return nil
}

// Connect é connect((host, port)): o handshake TCP. Volta quando o servidor
// responde, quando o Winsock desiste (recusado: WSAECONNREFUSED) ou quando
// o prazo de SetTimeout vence.
func (s *Sock) Connect(host string, port int) error {
	ip, err := ParseIPv4(host)
	if err != nil {
		return &Error{Op: "connect", Err: err}
	}
	err = windows.Connect(s.fd, &windows.SockaddrInet4{Addr: ip, Port: port})
	if s.timeout == 0 || err != windows.WSAEWOULDBLOCK {
		return wrap("connect", err)
	}
	// Até o Windows 10 2004 o WSAPoll não avisa um connect que falhou (nem
	// POLLERR nem POLLHUP): a espera vai em fatias de 500 ms, e SO_ERROR é
	// perguntado entre uma e outra.
	end := deadline(s.timeout)
	for ready := false; ; {
		var e int32
		n := int32(4)
		if err := windows.Getsockopt(s.fd, windows.SOL_SOCKET, soError, (*byte)(unsafe.Pointer(&e)), &n); err != nil {
			return wrap("connect", err)
		}
		if e != 0 {
			return wrap("connect", syscall.Errno(e))
		}
		if ready {
			return nil
		}
		ms := int32(500)
		if !end.IsZero() {
			left := time.Until(end)
			if left <= 0 {
				return wrap("connect", timeoutError{max(s.timeout, 0)})
			}
			ms = min(ms, int32((left+time.Millisecond-1)/time.Millisecond))
		}
		p := pollFd{fd: s.fd, events: pollWrNorm}
		r, _, en := syscall.SyscallN(procWSAPoll.Addr(), uintptr(unsafe.Pointer(&p)), 1, uintptr(ms))
		switch k := int32(r); {
		case k > 0: // gravável ou com erro: SO_ERROR, no topo, diz como terminou
			ready = true
		case k < 0 && en != windows.WSAEINTR:
			return wrap("connect", en)
		}
	}
}

// wait espera, num WSAPoll com o prazo de SetTimeout, o socket ficar pronto
// para o que events pede. Um erro no socket (POLLERR, POLLHUP) também conta
// como pronto: a chamada seguinte devolve o erro verdadeiro.
func (s *Sock) wait(events int16) error {
	end := deadline(s.timeout)
	for {
		ms := int32(-1)
		if !end.IsZero() {
			left := time.Until(end)
			if left <= 0 {
				return timeoutError{max(s.timeout, 0)}
			}
			ms = int32((left + time.Millisecond - 1) / time.Millisecond)
		}
		p := pollFd{fd: s.fd, events: events}
		r, _, e := syscall.SyscallN(procWSAPoll.Addr(), uintptr(unsafe.Pointer(&p)), 1, uintptr(ms))
		switch n := int32(r); {
		case n > 0:
			return nil
		case n < 0 && e != windows.WSAEINTR:
			return e
		}
	}
}
