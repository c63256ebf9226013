//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import "golang.org/x/sys/unix"

// kqueuer é o poller do macOS e dos BSD. No kqueue leitura e escrita são
// filtros separados (EVFILT_READ, EVFILT_WRITE): um mesmo descritor pode
// aparecer duas vezes num lote. O aviso de outra goroutine vem de
// EVFILT_USER (macOS, FreeBSD) ou de um pipe (wake_*.go).
type kqueuer struct {
	kq      int
	wakeRd  int // ponta de leitura do pipe de aviso, ou -1 com EVFILT_USER
	wakeWr  int
	raw     [256]unix.Kevent_t
	out     [256]event
	changes [2]unix.Kevent_t
	ts      unix.Timespec
}

var _ poller = (*kqueuer)(nil)

func newPoller() (poller, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(kq)
	p := &kqueuer{kq: kq, wakeRd: -1, wakeWr: -1}
	if err := p.initWake(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// apply manda ao kernel as mudanças de interesse de fd: para cada filtro
// (leitura, escrita) que mudou entre old e ev, EV_ADD ou EV_DELETE.
func (p *kqueuer) apply(fd int, old, ev uint8) error {
	ch := p.changes[:0]
	for _, f := range [2]struct {
		bit    uint8
		filter int
	}{{evRead, unix.EVFILT_READ}, {evWrite, unix.EVFILT_WRITE}} {
		if old&f.bit == ev&f.bit {
			continue
		}
		flags := unix.EV_ADD
		if ev&f.bit == 0 {
			flags = unix.EV_DELETE
		}
		var k unix.Kevent_t
		unix.SetKevent(&k, fd, f.filter, flags)
		ch = append(ch, k)
	}
	if len(ch) == 0 {
		return nil
	}
	_, err := unix.Kevent(p.kq, ch, nil, nil)
	return err
}

func (p *kqueuer) add(fd int, ev uint8) error      { return p.apply(fd, 0, ev) }
func (p *kqueuer) mod(fd int, old, ev uint8) error { return p.apply(fd, old, ev) }
func (p *kqueuer) del(fd int, old uint8) error     { return p.apply(fd, old, 0) }

func (p *kqueuer) close() error {
	if p.wakeRd >= 0 {
		unix.Close(p.wakeRd)
		unix.Close(p.wakeWr)
	}
	return unix.Close(p.kq)
}

// wait dorme até haver eventos ou msec milissegundos (-1 = sem limite).
// EINTR devolve zero eventos. EV_EOF (o outro lado fechou; pode ainda haver
// dados no buffer) e EV_ERROR só querem dizer "vá ler/escrever": o read()
// que devolve 0 é quem diz que acabou.
func (p *kqueuer) wait(msec int) ([]event, error) {
	var tsp *unix.Timespec
	if msec >= 0 {
		p.ts = unix.NsecToTimespec(int64(msec) * 1e6)
		tsp = &p.ts
	}
	n, err := unix.Kevent(p.kq, nil, p.raw[:], tsp)
	if err != nil {
		if err == unix.EINTR {
			return nil, nil
		}
		return nil, err
	}
	for i := 0; i < n; i++ {
		k := &p.raw[i]
		e := event{fd: int(k.Ident)}
		switch {
		case p.isWake(k):
			e.fd = wakeFD
		case k.Flags&unix.EV_ERROR != 0:
			e.r, e.w = true, true
		case int(k.Filter) == unix.EVFILT_WRITE:
			e.w = true
		default:
			e.r = true
		}
		p.out[i] = e
	}
	return p.out[:n], nil
}

// send: nos BSD um write comum. O macOS ganha SO_NOSIGPIPE no accept; nos
// outros, o runtime do Go ignora SIGPIPE em descritores que não são 1 e 2,
// então o write num socket sem leitor devolve EPIPE como erro comum.
func send(fd int, p []byte) (int, error) { return unix.Write(fd, p) }
