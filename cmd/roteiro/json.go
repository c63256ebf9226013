package main

// -json: cada etapa, seus números e seu veredicto, para outro programa ler.
// As chaves estão no -h (about). Todo número que o sistema não informa (o
// "n/d" da tabela) é null, nunca -1.

import (
	"encoding/json"
	"os"
	"runtime"
	"time"

	"roteiro2/internal/summary"
)

type jsonReport struct {
	Comando  string      `json:"comando"`
	Data     string      `json:"data"`
	Maquina  string      `json:"maquina"`
	Sistema  string      `json:"sistema"`
	DelayS   float64     `json:"delay_s"`
	Servidor *string     `json:"servidor"`
	OK       bool        `json:"ok"`
	Etapas   []jsonStage `json:"etapas"`
}

type jsonStage struct {
	ID         string         `json:"id"`
	Etapa      string         `json:"etapa"`
	Servidor   string         `json:"servidor"`
	Clientes   int            `json:"clientes"`
	DelayS     *float64       `json:"delay_s"`
	Rodou      bool           `json:"rodou"`
	Motivo     *string        `json:"motivo"`
	Verificado bool           `json:"verificado"`
	OK         *bool          `json:"ok"`
	Esperado   string         `json:"esperado"`
	Explicacao string         `json:"explicacao"`
	Ajustes    []string       `json:"ajustes"`
	Nota       *string        `json:"nota"`
	Resumo     *jsonResumo    `json:"resumo"`
	ThreadsRep *int64         `json:"threads_repouso"`
	ThreadsPic *int64         `json:"threads_pico"`
	RSSRep     *int64         `json:"rss_repouso_bytes"`
	RSSPico    *int64         `json:"rss_pico_bytes"`
	RSSConexao *int64         `json:"rss_por_conexao_bytes"`
	KStack     *int64         `json:"pilha_kernel_por_conexao_bytes"`
	CPUS       *float64       `json:"cpu_s"`
	Trocas     *int64         `json:"trocas_contexto"`
	TrocasPiso bool           `json:"trocas_contexto_piso"`
	RecvQ      *int64         `json:"fila_recvq_pico"`
	SendQ      *int64         `json:"fila_sendq"`
	Backlog    *int64         `json:"backlog"`
	Descartes  *int64         `json:"syn_descartados"`
	Cookies    *int64         `json:"syn_cookies"`
	Esperas    map[string]int `json:"esperas"`
	EsperasTxt *string        `json:"esperas_texto"`
	SVG        *string        `json:"linha_do_tempo"`
	DuracaoS   float64        `json:"duracao_s"`
}

type jsonResumo struct {
	Total           int      `json:"total"`
	Sucesso         int      `json:"sucesso"`
	TimeoutConexao  int      `json:"timeout_conexao"`
	TimeoutResposta int      `json:"timeout_resposta"`
	Recusado        int      `json:"recusado"`
	Resetado        int      `json:"resetado"`
	ResetadoResp    int      `json:"resetado_apos_resposta"`
	Erro            int      `json:"erro"`
	P50S            *float64 `json:"p50_s"`
	P99S            *float64 `json:"p99_s"`
	MaxS            *float64 `json:"max_s"`
}

// num é n, ou null quando negativo (n/d).
func num[T int | int64](n T) *int64 {
	if n < 0 {
		return nil
	}
	v := int64(n)
	return &v
}

// secs é d em segundos, ou null quando negativa (n/d, ou "-" sem sucesso).
func secs(d time.Duration) *float64 {
	if d < 0 {
		return nil
	}
	v := d.Seconds()
	return &v
}

// text é s, ou null quando vazio.
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func stageJSON(r Row) jsonStage {
	s := jsonStage{
		ID: r.ID, Etapa: r.Stage, Servidor: r.Server, Clientes: r.Clients,
		Rodou: r.RunErr == "" && r.Skipped == "", Verificado: r.Verdict.Checked,
		Esperado: r.Verdict.Mark(), Explicacao: r.Verdict.Why, Ajustes: r.Adjust, Nota: text(r.Note),
		ThreadsRep: num(r.IdleThreads), ThreadsPic: num(r.PeakThreads),
		RSSRep: num(r.IdleRSS), RSSPico: num(r.PeakRSS), RSSConexao: num(r.RSSPerConn()), KStack: num(r.KStackPerConn()),
		CPUS: secs(r.CPU), Trocas: num(r.Switches), TrocasPiso: r.SwitchesFloor,
		RecvQ: num(r.Queue.RecvQ), SendQ: num(r.Queue.SendQ), Descartes: num(r.Overflows), Cookies: num(r.Cookies),
		SVG: text(r.SVG), DuracaoS: r.Elapsed.Seconds(),
	}
	if s.Ajustes == nil {
		s.Ajustes = []string{}
	}
	if r.Delay > 0 {
		s.DelayS = secs(r.Delay)
	}
	if r.Backlog > 0 {
		s.Backlog = num(r.Backlog)
	}
	s.Motivo = text(r.RunErr)
	if r.Skipped != "" {
		s.Motivo = text(r.Skipped)
	}
	if r.Verdict.Checked {
		ok := r.Verdict.OK
		s.OK = &ok
	}
	if r.HasRes {
		s.Resumo = &jsonResumo{
			Total: r.Res.Total, Sucesso: r.Res.Count(summary.Success), TimeoutConexao: r.Res.Count(summary.ConnectTimeout),
			TimeoutResposta: r.Res.Count(summary.ReplyTimeout), Recusado: r.Res.Count(summary.Refused),
			Resetado: r.Res.Count(summary.Reset), ResetadoResp: r.Res.ResetAfterReply, Erro: r.Res.Count(summary.Other),
			P50S: secs(r.Res.P50), P99S: secs(r.Res.P99), MaxS: secs(r.Res.Max),
		}
	}
	if r.Waits != nil {
		s.Esperas = r.Waits
		s.EsperasTxt = text(r.Waits.String())
	}
	return s
}

// writeJSON grava o relatório em path; ok é o que -exigir decidiria.
func writeJSON(path string, rows []Row, o options, ok bool) error {
	rep := jsonReport{Comando: commandLine(), Data: time.Now().Format(time.RFC3339), Maquina: machine(),
		Sistema: runtime.GOOS + "/" + runtime.GOARCH, DelayS: o.delay.Seconds(), OK: ok, Etapas: []jsonStage{}}
	if o.servidor != nil {
		rep.Servidor = text(o.servidor.text)
	}
	for _, r := range rows {
		rep.Etapas = append(rep.Etapas, stageJSON(r))
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
