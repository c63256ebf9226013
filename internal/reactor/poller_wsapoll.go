//go:build windows

package reactor

import (
	"fmt"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"roteiro2/internal/socket"
)

// wsapoller é o poller do Windows: WSAPoll, o poll(2) do Winsock. Um laço de
// prontidão como este (o mesmo dos outros sistemas: "este socket está pronto
// para ler/escrever") usa WSAPoll porque o Windows não tem epoll nem kqueue.
// O preço é o do poll do Kegel (The C10K problem, "poll vs epoll"): a cada
// espera o laço entrega ao kernel a lista INTEIRA dos sockets e o kernel
// a percorre inteira, O(n) por volta, em vez de só os prontos. A forma de
// produção no Windows é outra, a de conclusão (IOCP: "esta leitura
// terminou"), a do ProactorEventLoop do asyncio e do pacote net do Go; ela
// não cabe neste laço de prontidão.
//
// O aviso de outra goroutine é um par de sockets no loopback: escrever um
// byte num torna o outro legível, e o WSAPoll vê.
type wsapoller struct {
	fds          []pollFd    // o que o WSAPoll vigia
	pos          map[int]int // descritor → posição em fds
	wakeR, wakeW int
	out          []event
}

var _ poller = (*wsapoller)(nil)

// pollFd é a WSAPOLLFD do Winsock.
type pollFd struct {
	fd      windows.Handle
	events  int16
	revents int16
}

const (
	pollRdNorm = 0x0100 // POLLRDNORM: dá para ler (ou aceitar)
	pollWrNorm = 0x0010 // POLLWRNORM: dá para escrever
	pollErr    = 0x0001
	pollHup    = 0x0002
	pollNval   = 0x0004
)

func newPoller() (poller, error) {
	r, w, err := wakePair()
	if err != nil {
		return nil, err
	}
	p := &wsapoller{pos: map[int]int{}, wakeR: r, wakeW: w}
	if err := p.set(r, 0, evRead); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// wakePair conecta dois sockets não bloqueantes pelo loopback.
func wakePair() (r, w int, err error) {
	ln, port, err := socket.CreateServer("127.0.0.1", 0, 1)
	if err != nil {
		return -1, -1, err
	}
	defer ln.Close()
	c, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	if err != nil {
		return -1, -1, err
	}
	if err := c.Connect("127.0.0.1", port); err != nil {
		c.Close()
		return -1, -1, err
	}
	s, peer, err := ln.Accept()
	if err != nil {
		c.Close()
		return -1, -1, err
	}
	// Quem aceitamos tem de ser c: outro processo do loopback pode conectar
	// à porta entre o listen e o nosso connect (o socketpair do Python
	// confere o mesmo desde o CVE-2024-3219).
	if local, err := c.Getsockname(); err != nil || local != peer {
		c.Close()
		s.Close()
		return -1, -1, fmt.Errorf("par de aviso: conexão inesperada de %v", peer)
	}
	for _, x := range []*socket.Sock{c, s} {
		if err := x.SetBlocking(false); err != nil {
			c.Close()
			s.Close()
			return -1, -1, err
		}
	}
	return socketFd(s), socketFd(c), nil
}

// set liga, muda ou tira fd da lista do WSAPoll.
func (p *wsapoller) set(fd int, old, ev uint8) error {
	i, ok := p.pos[fd]
	switch {
	case ev == 0:
		p.forget(fd)
		return nil
	case !ok:
		i = len(p.fds)
		p.fds = append(p.fds, pollFd{fd: windows.Handle(fd)})
		p.pos[fd] = i
	}
	p.fds[i].events = 0
	if ev&evRead != 0 {
		p.fds[i].events |= pollRdNorm
	}
	if ev&evWrite != 0 {
		p.fds[i].events |= pollWrNorm
	}
	return nil
}

// forget tira fd da lista (o último ocupa o lugar dele). O closesocket não
// avisaria o WSAPoll, que veria um SOCKET inválido na volta seguinte.
func (p *wsapoller) forget(fd int) {
	i, ok := p.pos[fd]
	if !ok {
		return
	}
	last := len(p.fds) - 1
	p.fds[i] = p.fds[last]
	p.pos[int(p.fds[i].fd)] = i
	p.fds = p.fds[:last]
	delete(p.pos, fd)
}

func (p *wsapoller) close() error {
	closeFd(p.wakeW)
	return closeFd(p.wakeR)
}

// wait dorme no WSAPoll até algum socket ficar pronto ou msec milissegundos,
// e devolve os prontos: percorre a lista inteira (O(n)). Erro e desligamento
// (POLLERR, POLLHUP) entram como "legível e gravável": o recv/send seguinte
// devolve o erro verdadeiro.
func (p *wsapoller) wait(msec int) ([]event, error) {
	r, _, e := syscall.SyscallN(procWSAPoll.Addr(), uintptr(unsafe.Pointer(&p.fds[0])), uintptr(len(p.fds)), uintptr(int32(msec)))
	if n := int32(r); n < 0 {
		if e == windows.WSAEINTR {
			return nil, nil
		}
		return nil, e
	}
	out := p.out[:0]
	for i := range p.fds {
		f := &p.fds[i]
		if f.revents == 0 {
			continue
		}
		fd := int(f.fd)
		if fd == p.wakeR {
			var b [64]byte
			for n, _ := readFd(p.wakeR, b[:]); n > 0; n, _ = readFd(p.wakeR, b[:]) {
			}
			out = append(out, event{fd: wakeFD})
			continue
		}
		// POLLHUP chega já com o FIN do cliente (não só quando as duas
		// direções fecharam, como no epoll) e não se desliga: entra só no
		// sentido que a conexão vigia, senão um read() que devolve 0 de novo
		// encerraria a conexão com saída ainda pendente.
		bad := f.revents&(pollErr|pollHup|pollNval) != 0
		out = append(out, event{fd: fd,
			r: f.revents&pollRdNorm != 0 || bad && f.events&pollRdNorm != 0,
			w: f.revents&pollWrNorm != 0 || bad && f.events&pollWrNorm != 0})
	}
	p.out = out
	return out, nil
}

// wake acorda o WSAPoll: um byte no socket de aviso. Cheio (WSAEWOULDBLOCK),
// o laço já vai acordar.
func (p *wsapoller) wake() error {
	if _, err := send(p.wakeW, []byte{1}); err != nil && err != windows.WSAEWOULDBLOCK {
		return err
	}
	return nil
}
