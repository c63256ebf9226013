package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

// retryStage repete a etapa só na falha que os SYN cookies explicam
// (Verdict.Cookies), no máximo CookieRetries vezes, e registra cada
// tentativa perdida; todo o resto volta na primeira.
func TestRetryStage(t *testing.T) {
	cookieLoss := Row{ID: "1.2", Cookies: 3, Verdict: Verdict{Checked: true, OK: false, Cookies: true, Why: "poucos timeouts"}}
	crashed := Row{ID: "1.2", Cookies: 3, ServerFailed: true, Verdict: Verdict{Checked: true, OK: false, Why: "o servidor caiu"}}
	pass := Row{ID: "1.2", Verdict: Verdict{Checked: true, OK: true}}
	st := stageDef{ID: "1.2", CookieRetries: 2}
	for _, c := range []struct {
		name  string
		seq   []Row // o que cada tentativa devolve
		err   error
		calls int
		ok    bool
		lost  int
	}{
		{"passou de primeira", []Row{pass}, nil, 1, true, 0},
		{"cookies e depois passou", []Row{cookieLoss, pass}, nil, 2, true, 1},
		{"cookies nas três", []Row{cookieLoss, cookieLoss, cookieLoss, pass}, nil, 3, false, 2},
		// Cookies vistos, mas a falha é outra (servidor caiu, recusado,
		// Send-Q errado): o veredicto não marca Cookies, e não se repete.
		{"servidor caiu com cookies", []Row{crashed, pass}, nil, 1, false, 0},
		{"não pôde rodar", []Row{cookieLoss, pass}, errCouldNotRun{"x"}, 1, false, 0},
	} {
		calls := 0
		run := func(context.Context, stageDef) (Row, error) {
			r := c.seq[calls]
			calls++
			return r, c.err
		}
		r, err := retryStage(context.Background(), st, run)
		lost := 0
		for _, a := range r.Adjust {
			if strings.HasPrefix(a, "tentativa ") && strings.Contains(a, "perdida e repetida") && strings.Contains(a, "SYN cookies") {
				lost++
			}
		}
		if calls != c.calls || r.Verdict.OK != c.ok || lost != c.lost || !errors.Is(err, c.err) {
			t.Errorf("%s: %d tentativa(s), ok %v, %d perdida(s), erro %v; queria %d, %v, %d, %v",
				c.name, calls, r.Verdict.OK, lost, err, c.calls, c.ok, c.lost, c.err)
		}
	}
	// Interrompido (Ctrl-C): nunca repete.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	retryStage(ctx, st, func(context.Context, stageDef) (Row, error) { calls++; return cookieLoss, nil })
	if calls != 1 {
		t.Errorf("interrompido: %d tentativas", calls)
	}
}

// O veredicto da 1.2 só marca Cookies quando os poucos timeouts de conexão
// são a única falha e houve cookies.
func TestBacklogVerdictCookies(t *testing.T) {
	d := labDelay
	base := func(success, ct, rt, refused int, cookies int64) Row {
		r := Row{Clients: 10, HasRes: true, Backlog: 1, Cookies: cookies, Overflows: 3}
		r.Queue.RecvQ, r.Queue.SendQ = 2, 1
		r.Res.Total = 10
		r.Res.Counts[0], r.Res.Counts[1], r.Res.Counts[2], r.Res.Counts[3] = success, ct, rt, refused
		return r
	}
	for _, c := range []struct {
		name    string
		r       Row
		ok, cok bool
	}{
		{"a lição", base(1, 7, 2, 0, 0), true, false},
		{"cookies: todos entraram", base(1, 3, 6, 0, 3), false, true},
		{"poucos timeouts sem cookies", base(1, 3, 6, 0, 0), false, false},
		{"cookies e um recusado", base(1, 3, 5, 1, 3), false, false},
		{"cookies e nenhuma resposta", base(0, 3, 7, 0, 3), false, false},
	} {
		v := backlogVerdict("linux", 2, c.r, d)
		if v.OK != c.ok || v.Cookies != c.cok {
			t.Errorf("%s: ok %v, cookies %v; queria %v, %v (%s)", c.name, v.OK, v.Cookies, c.ok, c.cok, v.Why)
		}
	}
	q := base(1, 3, 6, 0, 3)
	q.Queue.SendQ = 128 // a fila errada não é culpa dos cookies
	if v := backlogVerdict("linux", 2, q, d); v.Cookies {
		t.Errorf("Send-Q errado marcou Cookies: %s", v.Why)
	}
}

// exitCode e unmet: o que -exigir aceita e o que cada etapa não cumprida diz.
func TestExitCodeAndUnmet(t *testing.T) {
	ok := Row{ID: "1.1", Verdict: Verdict{Checked: true, OK: true}}
	bad := Row{ID: "3.3", Verdict: Verdict{Checked: true, OK: false}}
	unchecked := Row{ID: "1.2", Verdict: Verdict{}} // nada a verificar neste sistema
	skipped := Row{ID: "desafio", Skipped: "precisa de epoll/kqueue"}
	broken := Row{ID: "2.1", RunErr: "o servidor não subiu"}
	for _, c := range []struct {
		rows   []Row
		exigir bool
		code   int
		unmet  string
	}{
		{[]Row{ok, unchecked}, true, 0, ""},
		{[]Row{ok, bad}, false, 0, "3.3: ✗"},
		{[]Row{ok, bad}, true, 1, "3.3: ✗"},
		{[]Row{skipped}, false, 0, "desafio: não rodou (precisa de epoll/kqueue)"},
		{[]Row{skipped}, true, 1, "desafio: não rodou (precisa de epoll/kqueue)"},
		{[]Row{ok, broken}, false, 1, "2.1: não pôde rodar"},
		{[]Row{{ID: "1.1", RunErr: interrupted}}, false, 1, "1.1: não pôde rodar"},
	} {
		if got := exitCode(c.rows, c.exigir); got != c.code {
			t.Errorf("exitCode(%v, exigir=%v) = %d, queria %d", c.rows, c.exigir, got, c.code)
		}
		if got := strings.Join(unmet(c.rows), "; "); got != c.unmet {
			t.Errorf("unmet(%v) = %q, queria %q", c.rows, got, c.unmet)
		}
	}
}

// As legendas que a correção automática deixa de imprimir estão no -h, com
// o nome do futex de cada kernel.
func TestHelpHasLegend(t *testing.T) {
	t.Parallel()
	_, stderr, code := e2e.Run(t, 30*time.Second, "roteiro", "-h")
	for _, want := range []string{"Cada thread do servidor agrupada", "futex_do_wait", "futex_wait_queue do 5.16",
		"futex_wait_queue_me antes do", "Recv-Q = conexões com handshake completo", "-edicao-aluno", "-trilha"} {
		if code != 0 || !strings.Contains(stderr, want) {
			t.Errorf("-h (código %d) sem %q", code, want)
		}
	}
}
