//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import "golang.org/x/sys/unix"

// kqueuer é o poller do macOS e dos BSD. No kqueue leitura e escrita são
// filtros separados (EVFILT_READ, EVFILT_WRITE): um mesmo descritor pode
// aparecer duas vezes num lote. O aviso de outra goroutine vem de
// EVFILT_USER (macOS, FreeBSD, DragonFly) ou de um pipe (wake_*.go).
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

// set manda ao kernel, numa chamada, EV_ADD ou EV_DELETE para cada filtro
// (leitura, escrita) que mudou entre old e ev.
func (p *kqueuer) set(fd int, old, ev uint8) error {
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
	return p.change(ch)
}

// change aplica mudanças sem pedir eventos de volta: um erro numa delas
// volta como erro da chamada (com lista de eventos, viria como EV_ERROR).
// EINTR não é erro: o kevent(2) aplica a lista inteira antes de devolvê-lo.
func (p *kqueuer) change(ch []unix.Kevent_t) error {
	if len(ch) == 0 {
		return nil
	}
	_, err := unix.Kevent(p.kq, ch, nil, nil)
	if err == unix.EINTR {
		err = nil
	}
	return err
}

func (p *kqueuer) close() error {
	if p.wakeRd >= 0 {
		unix.Close(p.wakeRd)
		unix.Close(p.wakeWr)
	}
	return unix.Close(p.kq)
}

// wait dorme até haver eventos ou msec milissegundos; EINTR devolve zero
// eventos. EV_EOF (o outro lado fechou; pode ainda haver dados, e fflags
// traz o erro do socket) só quer dizer "vá ler/escrever": o read() que
// devolve 0, ou o erro do read/write, é quem diz que acabou. Uma entrada
// com EV_ERROR não é prontidão, é o resultado de uma mudança (aqui nunca há
// mudanças nesta chamada): é ignorada.
func (p *kqueuer) wait(msec int) ([]event, error) {
	var tsp *unix.Timespec
	if msec >= 0 {
		p.ts = unix.NsecToTimespec(int64(msec) * 1e6)
		tsp = &p.ts
	}
	n, err := unix.Kevent(p.kq, nil, p.raw[:], tsp)
	if err == unix.EINTR {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := p.out[:0]
	for i := range p.raw[:n] {
		k := &p.raw[i]
		switch {
		case k.Flags&unix.EV_ERROR != 0:
		case p.isWake(k):
			out = append(out, event{fd: wakeFD})
		case int(k.Filter) == unix.EVFILT_WRITE:
			out = append(out, event{fd: int(k.Ident), w: true})
		case int(k.Filter) == unix.EVFILT_READ:
			out = append(out, event{fd: int(k.Ident), r: true})
		}
	}
	return out, nil
}

// send: nos BSD e no macOS, um write comum. O runtime do Go ignora SIGPIPE
// fora dos descritores 1 e 2, então o write num socket sem leitor devolve
// EPIPE como erro comum, sem matar o processo.
func send(fd int, p []byte) (int, error) { return unix.Write(fd, p) }
