//go:build linux

package reactor

import "golang.org/x/sys/unix"

// epoller é o poller do Linux: um descritor epoll, em modo level-triggered
// (o padrão), e um eventfd para acordar o laço a partir de outra goroutine.
type epoller struct {
	epfd, wakefd int
	raw          [256]unix.EpollEvent
	out          [256]event
}

var _ poller = (*epoller)(nil)

func newPoller() (poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	wfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, err
	}
	p := &epoller{epfd: epfd, wakefd: wfd}
	if err := p.set(wfd, 0, evRead); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// set: sem interesse antes, EPOLL_CTL_ADD; sem interesse depois, DEL (um
// descritor registrado sem eventos ainda receberia HUP/ERR); senão, MOD.
// Uma chamada, uma mudança: ou vale inteira, ou volta o erro. Antes do
// close(2) não há DEL: o close já tira o descritor do epoll.
func (p *epoller) set(fd int, old, ev uint8) error {
	op := unix.EPOLL_CTL_MOD
	switch {
	case old == ev:
		return nil
	case old == 0:
		op = unix.EPOLL_CTL_ADD
	case ev == 0:
		op = unix.EPOLL_CTL_DEL
	}
	// EPOLLRDHUP: o outro lado fechou a escrita. Só quer dizer "vá ler": quem
	// decide que a conexão acabou é o read() que devolve 0.
	e := unix.EpollEvent{Fd: int32(fd)}
	if ev&evRead != 0 {
		e.Events |= unix.EPOLLIN | unix.EPOLLRDHUP
	}
	if ev&evWrite != 0 {
		e.Events |= unix.EPOLLOUT
	}
	return unix.EpollCtl(p.epfd, op, fd, &e)
}

func (p *epoller) close() error { unix.Close(p.wakefd); return unix.Close(p.epfd) }

// wait dorme até algum descritor ficar pronto ou msec milissegundos. EINTR
// (um sinal interrompeu a espera) não é erro: o laço só dá outra volta.
func (p *epoller) wait(msec int) ([]event, error) {
	n, err := unix.EpollWait(p.epfd, p.raw[:], msec)
	if err != nil {
		if err == unix.EINTR {
			return nil, nil
		}
		return nil, err
	}
	for i := 0; i < n; i++ {
		e := &p.raw[i]
		fd := int(e.Fd)
		if fd == p.wakefd {
			var b [8]byte
			unix.Read(p.wakefd, b[:]) // zera o contador: os avisos se acumulam num só
			fd = wakeFD
		}
		// HUP e ERR entram como "legível e gravável": o read/write seguinte
		// devolve o erro verdadeiro (ou os dados que ainda restam).
		bad := e.Events&(unix.EPOLLHUP|unix.EPOLLERR) != 0
		p.out[i] = event{fd: fd,
			r: bad || e.Events&(unix.EPOLLIN|unix.EPOLLRDHUP) != 0,
			w: bad || e.Events&unix.EPOLLOUT != 0}
	}
	return p.out[:n], nil
}

// wake acorda o epoll_wait: somar 1 ao eventfd o torna legível.
func (p *epoller) wake() error {
	one := [8]byte{1}
	_, err := unix.Write(p.wakefd, one[:])
	if err == unix.EAGAIN { // contador cheio: o laço já vai acordar
		err = nil
	}
	return err
}

// send escreve sem SIGPIPE (MSG_NOSIGNAL): se o cliente sumiu, vem EPIPE
// como erro comum em vez de um sinal que mataria um programa em C.
func send(fd int, p []byte) (int, error) {
	return unix.SendmsgN(fd, p, nil, nil, unix.MSG_NOSIGNAL)
}

// forget: nada; o close(2) já tira o descritor do epoll.
func (p *epoller) forget(int) {}
