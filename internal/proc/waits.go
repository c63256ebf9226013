package proc

import (
	"fmt"
	"slices"
	"strings"
)

// Waits conta as threads de um processo pela função do kernel em que cada
// uma dorme agora, o "wait channel" (/proc/PID/task/TID/wchan no Linux):
// "wait_woken" → 20 threads. Uma thread que está rodando (ou pronta para
// rodar) não dorme em lugar nenhum e aparece como "0".
//
// É a resposta à pergunta "onde cada thread espera?": um servidor com uma
// thread por conexão mostra N threads dentro de recv() ou de sleep(); um laço
// de eventos mostra uma só, em epoll_wait().
type Waits map[string]int

// Label diz, nas palavras de quem escreve o servidor, em que chamada uma
// thread dorme quando o kernel informa o wait channel wchan: "recv" para
// wait_woken, "sleep" para hrtimer_nanosleep... Um nome desconhecido volta
// como está.
func Label(wchan string) string {
	switch wchan {
	case "0", "":
		return "rodando"
	case "inet_csk_accept", "inet_csk_wait_for_connect":
		return "accept"
	case "wait_woken", "sk_wait_data", "tcp_recvmsg_locked":
		return "recv"
	case "sk_stream_wait_memory":
		return "send"
	case "hrtimer_nanosleep", "do_nanosleep", "clock_nanosleep", "common_nsleep":
		return "sleep"
	case "do_epoll_wait", "ep_poll":
		return "epoll_wait"
	case "do_sys_poll", "do_select", "core_sys_select":
		return "poll/select"
	case "futex_do_wait", "futex_wait_queue", "futex_wait_queue_me", "futex_wait":
		return "futex"
	}
	return wchan
}

// Threads é o total de threads contadas.
func (w Waits) Threads() int {
	n := 0
	for _, k := range w {
		n += k
	}
	return n
}

// Count soma as threads cujo wait channel tem o rótulo label (veja Label):
// Count("recv") junta wait_woken e sk_wait_data.
func (w Waits) Count(label string) int {
	n := 0
	for wchan, k := range w {
		if Label(wchan) == label {
			n += k
		}
	}
	return n
}

// String é a forma curta das tabelas e dos logs, do grupo maior para o
// menor: "20 recv (wait_woken) · 6 futex (futex_do_wait) · 1 accept
// (inet_csk_accept)". O nome do kernel fica entre parênteses, para quem
// quiser procurá-lo no código-fonte. Sem threads: "n/d".
func (w Waits) String() string {
	if len(w) == 0 {
		return "n/d"
	}
	names := make([]string, 0, len(w))
	for wchan := range w {
		names = append(names, wchan)
	}
	slices.SortFunc(names, func(a, b string) int {
		if w[a] != w[b] {
			return w[b] - w[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(names))
	for i, wchan := range names {
		label := Label(wchan)
		switch label {
		case "rodando":
			parts[i] = fmt.Sprintf("%d rodando", w[wchan])
		case wchan:
			parts[i] = fmt.Sprintf("%d %s", w[wchan], wchan)
		default:
			parts[i] = fmt.Sprintf("%d %s (%s)", w[wchan], label, wchan)
		}
	}
	return strings.Join(parts, " · ")
}
