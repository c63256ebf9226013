package summary

import (
	"strings"
	"testing"
	"time"
)

func TestStringAndParseRoundTrip(t *testing.T) {
	outcomes := []Outcome{Success, Success, ConnectTimeout, ReplyTimeout, Refused, Reset, Other, Success}
	times := []time.Duration{5010 * time.Millisecond, 5020 * time.Millisecond, 5000 * time.Millisecond}
	r := Make(outcomes, times)
	want := "RESUMO total=8 sucesso=3 timeout_conexao=1 timeout_resposta=1 recusado=1 resetado=1 erro=1 p50=5.01s p99=5.02s max=5.02s"
	if got := r.String(); got != want {
		t.Fatalf("String:\n got %s\nwant %s", got, want)
	}
	back, err := Parse(want)
	if err != nil {
		t.Fatal(err)
	}
	if back.String() != want || back.Count(Success) != 3 || back.Max != 5020*time.Millisecond {
		t.Fatalf("Parse devolveu %+v", back)
	}
}

// Um resetado depois de receber a resposta (servergargalo.py): a chave a
// mais só aparece quando há algum, e não pode passar dos resetado.
func TestResetAfterReply(t *testing.T) {
	r := Make([]Outcome{Reset, Reset, ConnectTimeout}, nil)
	r.ResetAfterReply = 1
	want := "RESUMO total=3 sucesso=0 timeout_conexao=1 timeout_resposta=0 recusado=0 resetado=2 erro=0 p50=- p99=- max=- resetado_apos_resposta=1"
	if got := r.String(); got != want {
		t.Fatalf("String:\n got %s\nwant %s", got, want)
	}
	back, err := Parse(want)
	if err != nil || back.ResetAfterReply != 1 || back.String() != want {
		t.Fatalf("Parse: %+v %v", back, err)
	}
	for _, bad := range []string{
		strings.Replace(want, "resetado_apos_resposta=1", "resetado_apos_resposta=3", 1),
		strings.Replace(want, "resetado_apos_resposta=1", "outra=1", 1),
		strings.Replace(want, "resetado_apos_resposta=1", "resetado_apos_resposta=x", 1),
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) aceitou", bad)
		}
	}
}

func TestNoSuccessPrintsDash(t *testing.T) {
	r := Make([]Outcome{ConnectTimeout, ConnectTimeout}, nil)
	want := "RESUMO total=2 sucesso=0 timeout_conexao=2 timeout_resposta=0 recusado=0 resetado=0 erro=0 p50=- p99=- max=-"
	if r.String() != want {
		t.Fatalf("got %s", r.String())
	}
	back, err := Find("lixo\n" + want + "\n")
	if err != nil || back.P50 >= 0 || back.Count(ConnectTimeout) != 2 {
		t.Fatalf("Find: %+v %v", back, err)
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for _, bad := range []string{
		"",
		"RESUMO total=1",
		"RESUMO sucesso=1 total=1 timeout_conexao=0 timeout_resposta=0 recusado=0 resetado=0 erro=0 p50=- p99=- max=-",
		"RESUMO total=x sucesso=1 timeout_conexao=0 timeout_resposta=0 recusado=0 resetado=0 erro=0 p50=- p99=- max=-",
		"RESUMO total=1 sucesso=1 timeout_conexao=0 timeout_resposta=0 recusado=0 resetado=0 erro=0 p50=5 p99=- max=-",
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) aceitou", bad)
		}
	}
}

func TestPercentileNearestRank(t *testing.T) {
	var v []time.Duration
	for i := 1; i <= 100; i++ {
		v = append(v, time.Duration(i))
	}
	if Percentile(v, 50) != 50 || Percentile(v, 99) != 99 || Percentile(v, 100) != 100 {
		t.Fatal("percentil errado")
	}
	if Percentile(v[:1], 99) != 1 || Percentile(nil, 50) != -1 {
		t.Fatal("borda errada")
	}
}

func TestServerKeys(t *testing.T) {
	out := "[OUVINDO] x\n[RESUMO SERVIDOR] atendidas=10 falhas=1 interrompidas=0 threads_pico=n/d rss_pico=5.0MiB trocas_vol=3\nfim\n"
	k := ServerKeys(out)
	if k["atendidas"] != "10" || k["falhas"] != "1" || k["threads_pico"] != "n/d" || k["trocas_vol"] != "3" || len(k) != 6 {
		t.Fatalf("ServerKeys = %v", k)
	}
	if len(ServerKeys("sem resumo")) != 0 {
		t.Fatal("sem a linha, o mapa deveria ser vazio")
	}
}
